#include <stdio.h>

static int counter = 100 * ('c' - 96);
static const char *name = "c";

static int next(void)
{
	static int n;
	return ++n + counter;
}

void run_c(int times)
{
	static int calls;
	calls++;
	for (int i = 0; i < times; i++)
		printf("%s: next=%d calls=%d\n", name, next(), calls);
}
