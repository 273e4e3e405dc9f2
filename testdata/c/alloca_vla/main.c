#include <alloca.h>
#include <stdio.h>
#include <string.h>

long matrix_trace(int n, int m, long a[n][m]);
void fill(int n, int m, long a[n][m]);
size_t vla_size(int n);

static long use_alloca(int n)
{
	long s = 0;
	for (int k = 1; k <= n; k++) {
		int *p = alloca(k * 1000 * sizeof(int));
		for (int i = 0; i < k * 1000; i++)
			p[i] = i;
		s += p[k * 1000 - 1];
	}
	return s;
}

int main(int argc, char **argv)
{
	(void)argv;
	int n = 5 + argc, m = 7;
	long a[n][m];
	fill(n, m, a);
	printf("trace(%dx%d)=%ld sizeof=%zu vla_size(10)=%zu\n", n, m, matrix_trace(n, m, a), sizeof a, vla_size(10));
	printf("alloca sum=%ld\n", use_alloca(20));
	char *s = alloca(64);
	strcpy(s, "alloca string");
	printf("%s\n", s);
	return 0;
}
