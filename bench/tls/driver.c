/* TLS access benchmark driver: calls bump() (defined in acc.c, compiled per TLS model)
 * N times and prints the time per call in nanoseconds. With DLOPEN defined, bump comes
 * from a shared library named on the command line (dlopen + dlsym), as a natively
 * loaded plugin would. Usage: driver [N] [LIB.so] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef DLOPEN
#include <dlfcn.h>
#endif

long bump(void);

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000000L;
	long (*fn)(void) = bump;
#ifdef DLOPEN
	if (argc < 3) {
		fprintf(stderr, "usage: %s N LIB.so\n", argv[0]);
		return 2;
	}
	void *h = dlopen(argv[2], RTLD_NOW);
	if (!h || !(fn = (long (*)(void))dlsym(h, "bump"))) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
#endif
	long warm = 1000, last = 0;
	for (long i = 0; i < warm; i++)
		fn();
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		last = fn();
	double t1 = now_ns();
	if (last != warm + n) { /* the loop really ran, against one thread-local counter */
		fprintf(stderr, "bad count %ld, want %ld\n", last, warm + n);
		return 1;
	}
	printf("%.3f\n", (t1 - t0) / n);
	return 0;
}
#ifdef DLOPEN
long bump(void) { return 0; } /* unused: the library's bump is called */
#endif
