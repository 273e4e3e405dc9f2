/* Over-aligned TLS (128 and 4096 bytes) from the main thread and from threads. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int page_check(void);
uintptr_t page_misalignment(void);
__thread int small = 3;

static void *worker(void *arg)
{
	int *r = arg;
	r[0] = page_check() && small == 3;
	r[1] = page_misalignment() == 0;
	return NULL;
}

int main(void)
{
	int ok = page_check();
	printf("main: fresh %d aligned %d\n", ok, page_misalignment() == 0);
	for (int i = 0; i < 3; i++) {
		int r[2];
		pthread_t t;
		pthread_create(&t, NULL, worker, r);
		pthread_join(t, NULL);
		printf("thread %d: fresh %d aligned %d\n", i, r[0], r[1]);
	}
	printf("main again: %d\n", page_check());
	return 0;
}
