#include <stdio.h>
/* Must NOT be pulled: would be a duplicate definition of helper. */
int helper(int x)
{
	return -x;
}

int unused_conflict(void)
{
	return 1;
}

__attribute__((constructor)) static void conflict_ctor(void)
{
	puts("ERROR: ar_conflict.o was linked");
}
