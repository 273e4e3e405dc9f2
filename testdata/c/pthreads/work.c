#include <pthread.h>
#include <stdint.h>
#include "work.h"

long shared_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *sum_range(void *arg)
{
	struct range *r = arg;
	long s = 0;
	for (long i = r->lo; i < r->hi; i++) {
		s += i;
		pthread_mutex_lock(&lock);
		shared_counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(intptr_t)s;
}
