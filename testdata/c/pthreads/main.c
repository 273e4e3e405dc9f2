#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include "work.h"

int main(void)
{
	pthread_t t[NTHREADS];
	struct range r[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		r[i].lo = i * 1000;
		r[i].hi = (i + 1) * 1000;
		r[i].id = i;
		if (pthread_create(&t[i], NULL, sum_range, &r[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	long total = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		printf("thread %d returned %ld\n", i, (long)(intptr_t)ret);
		total += (long)(intptr_t)ret;
	}
	printf("total=%ld shared_counter=%ld\n", total, shared_counter);

	pthread_t prod, cons;
	pthread_create(&cons, NULL, consumer, NULL);
	pthread_create(&prod, NULL, producer, NULL);
	void *consumed;
	pthread_join(prod, NULL);
	pthread_join(cons, &consumed);
	printf("consumer sum=%ld\n", (long)(intptr_t)consumed);
	return 0;
}
