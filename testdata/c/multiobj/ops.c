#include "ops.h"

int ops_calls;

static int bump(void)
{
	main_counter++;
	return ++ops_calls;
}

int add(int a, int b)
{
	bump();
	return a + b;
}

int mul(int a, int b)
{
	bump();
	int r = 0;
	for (int i = 0; i < b; i++)
		r = add(r, a);
	return r;
}
