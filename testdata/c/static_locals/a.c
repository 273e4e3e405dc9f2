#include <stdio.h>

static int counter = 100 * ('a' - 96);
static const char *name = "a";

static int next(void)
{
	static int n;
	return ++n + counter;
}

void run_a(int times)
{
	static int calls;
	calls++;
	for (int i = 0; i < times; i++)
		printf("%s: next=%d calls=%d\n", name, next(), calls);
}
