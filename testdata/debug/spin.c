// A program for the perf test (e2e/debug_test.go): nearly all its time is in hot_loop.
#include <stdio.h>

__attribute__((noinline)) double hot_loop(long n) {
	double s = 0;
	for (long i = 1; i < n; i++)
		s += 1.0 / (double)i;
	return s;
}

int main(void) {
	printf("%f\n", hot_loop(100000000));
	return 0;
}
