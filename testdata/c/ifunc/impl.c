#include <stddef.h>

static int compute_generic(int x) { return x * 3 + 1; }
static int compute_fast(int x) { return 1 + x * 3; }

static int (*resolve_compute(void))(int)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("sse2") ? compute_fast : compute_generic;
}

int compute(int x) __attribute__((ifunc("resolve_compute")));

__attribute__((target_clones("default", "avx2"))) long tc_sum(const int *v, int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += (long)v[i] * v[i];
	return s;
}

int resolver_calls_ok(void) { return compute(0) == 1; }
