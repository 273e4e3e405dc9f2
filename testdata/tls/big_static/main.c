#include <pthread.h>
#include <stdio.h>

extern __thread unsigned char big_data[], big_zero[];
__thread int small = 17;
unsigned long big_sum(void);
void big_fill(unsigned char v);

static void *worker(void *arg)
{
	unsigned long *out = arg;
	out[0] = big_sum() + (unsigned long)small;
	big_fill((unsigned char)(out[1]));
	out[2] = big_sum();
	return NULL;
}

int main(void)
{
	printf("main: sum %lu small %d last %#x\n", big_sum(), small, big_data[150 * 1024 - 1]);
	big_fill(1);
	unsigned long r[4][3];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		r[i][1] = (unsigned long)i + 2;
		pthread_create(&t[i], NULL, worker, r[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		printf("thread %d: fresh sum %lu, after fill %lu\n", i, r[i][0], r[i][2]);
	}
	printf("main: sum after threads %lu\n", big_sum());
	return 0;
}
