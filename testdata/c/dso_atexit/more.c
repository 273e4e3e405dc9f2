#include <stdio.h>
#include <stdlib.h>
static void from_other(void) { puts("atexit: registered in other object"); }
static int count;
static void counted(void) { printf("atexit: counted %d\n", ++count); }
void register_more(void)
{
	atexit(from_other);
	for (int i = 0; i < 40; i++) /* more than one block of 32 handlers */
		atexit(counted);
}
