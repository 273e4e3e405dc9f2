#include <stdio.h>

static int value;

__attribute__((constructor(200))) static void third_ctor200(void)
{
	value = 33;
	puts("third(archive): constructor(200)");
}
__attribute__((constructor)) static void third_ctor(void) { puts("third(archive): constructor (default)"); }
__attribute__((destructor)) static void third_dtor(void) { puts("third(archive): destructor (default)"); }

int third_value(void)
{
	return value;
}
