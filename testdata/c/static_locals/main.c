#include <stdio.h>

void run_a(int), run_b(int), run_c(int);
static int counter = -1;
static int next(void) { static int n = 500; return n++; }

int main(void)
{
	run_a(2);
	run_b(1);
	run_a(1);
	run_c(3);
	run_b(2);
	printf("main: next=%d next=%d counter=%d\n", next(), next(), counter);
	return 0;
}
