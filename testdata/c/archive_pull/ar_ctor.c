#include <stdio.h>
/* Must NOT be pulled: nothing references never_called. */
int never_called(void)
{
	return 42;
}

__attribute__((constructor)) static void unwanted_ctor(void)
{
	puts("ERROR: ar_ctor.o was linked");
}

__attribute__((destructor)) static void unwanted_dtor(void)
{
	fputs("ERROR: ar_ctor.o destructor\n", stderr);
}
