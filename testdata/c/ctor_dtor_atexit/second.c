#include <stdio.h>
#include <stdlib.h>

static void second_atexit(void) { puts("second: atexit registered from constructor"); }

__attribute__((constructor(101))) static void second_ctor101(void) { puts("second: constructor(101)"); }
__attribute__((constructor(150))) static void second_ctor150(void)
{
	puts("second: constructor(150), registering atexit");
	atexit(second_atexit);
}
__attribute__((constructor)) static void second_ctor(void) { puts("second: constructor (default)"); }
__attribute__((destructor(150))) static void second_dtor150(void) { puts("second: destructor(150)"); }
__attribute__((destructor)) static void second_dtor(void) { puts("second: destructor (default)"); }
