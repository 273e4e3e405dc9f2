#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

extern pthread_barrier_t barrier;

void *exiter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	printf("exiter: calling exit(5) from a non-main thread\n");
	fprintf(stderr, "exiter: stderr\n");
	exit(5);
}
