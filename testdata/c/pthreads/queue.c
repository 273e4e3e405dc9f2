#include <pthread.h>
#include <stdint.h>
#include "work.h"

#define QCAP 4
#define NITEMS 200
static int q[QCAP], head, count;
static int done;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= NITEMS; i++) {
		pthread_mutex_lock(&m);
		while (count == QCAP)
			pthread_cond_wait(&not_full, &m);
		q[(head + count++) % QCAP] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
	}
	pthread_mutex_lock(&m);
	done = 1;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&m);
	return NULL;
}

void *consumer(void *arg)
{
	(void)arg;
	long sum = 0;
	for (;;) {
		pthread_mutex_lock(&m);
		while (count == 0 && !done)
			pthread_cond_wait(&not_empty, &m);
		if (count == 0 && done) {
			pthread_mutex_unlock(&m);
			break;
		}
		int v = q[head];
		head = (head + 1) % QCAP;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
		sum += v;
	}
	return (void *)(intptr_t)sum;
}
