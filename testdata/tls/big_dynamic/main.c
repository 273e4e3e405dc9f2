#include <pthread.h>
#include <stdio.h>

unsigned long huge_touch(unsigned step, unsigned char v);
int huge_aligned(void);

static void *worker(void *arg)
{
	unsigned long *r = arg;
	r[0] = huge_touch(512, (unsigned char)r[1]); /* fresh: zeros plus 42 + 24 */
	r[2] = huge_touch(4096, 0);                  /* sees its own fill */
	r[3] = (unsigned long)huge_aligned();
	return NULL;
}

int main(void)
{
	unsigned long first = huge_touch(4096, 1);
	unsigned long second = huge_touch(4096, 2);
	printf("main: first %lu second %lu aligned %d\n", first, second, huge_aligned());
	/* Threads get big explicit stacks: natively, an executable's TLS is static and is
	 * carved out of each thread's stack. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 24 << 20);
	pthread_t t[3];
	unsigned long r[3][4];
	for (int i = 0; i < 3; i++) {
		r[i][1] = (unsigned long)i + 5;
		if (pthread_create(&t[i], &attr, worker, r[i]) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		printf("thread %d: fresh %lu refill %lu aligned %lu\n", i, r[i][0], r[i][2], r[i][3]);
	}
	printf("main: again %lu\n", huge_touch(4096, 0));
	return 0;
}
