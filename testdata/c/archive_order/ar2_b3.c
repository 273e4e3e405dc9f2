#include <stdio.h>
int b_unused(void)
{
	return 6;
}

__attribute__((constructor)) static void b3_ctor(void)
{
	puts("ERROR: ar2_b3.o was linked");
}
