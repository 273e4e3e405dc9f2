#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *exiter(void *);
pthread_barrier_t barrier;
int block_pipe[2];

static void *blocker(void *arg)
{
	char c;
	pthread_barrier_wait(&barrier);
	read(block_pipe[0], &c, 1); /* blocks forever */
	printf("NOT REACHED blocker %ld\n", (long)arg);
	return NULL;
}

static volatile unsigned long spins;
static void *spinner(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	for (;;)
		spins++;
	return NULL;
}

static void at_exit_handler(void)
{
	printf("atexit handler ran (threads still alive)\n");
}

int main(void)
{
	pthread_t t[4];
	if (pipe(block_pipe))
		return 99;
	pthread_barrier_init(&barrier, NULL, 5);
	atexit(at_exit_handler);
	printf("main: creating threads\n");
	pthread_create(&t[0], NULL, blocker, (void *)1L);
	pthread_create(&t[1], NULL, blocker, (void *)2L);
	pthread_create(&t[2], NULL, spinner, NULL);
	pthread_create(&t[3], NULL, exiter, NULL);
	pthread_barrier_wait(&barrier);
	pthread_join(t[3], NULL);
	printf("NOT REACHED main\n");
	return 0;
}
