#include <stdio.h>

long depth_b(long n, long acc);
long max_depth;

long depth_a(long n, long acc)
{
	volatile long local = n;
	if (n > max_depth)
		max_depth = n;
	if (n == 0)
		return acc;
	return depth_b(n - 1, acc + 1) + (local & 1);
}

int main(void)
{
	long n = 100000;
	long r = depth_a(n, 0);
	printf("recursed %ld frames, result=%ld max=%ld\n", n, r, max_depth);
	return 0;
}
