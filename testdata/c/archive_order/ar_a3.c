#include <stdio.h>
int a_unused(void)
{
	return 5;
}

__attribute__((constructor)) static void a3_ctor(void)
{
	puts("ERROR: ar_a3.o was linked");
}
