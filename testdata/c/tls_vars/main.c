#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

extern __thread int tls_counter;
extern __thread char tls_name[16];
static __thread long local_tls = 1000;
void *worker(void *arg);
int bump_other(void);

int main(void)
{
	tls_counter = 5;
	local_tls += 1;
	int b = bump_other();
	printf("main: bump_other=%d tls_counter=%d local_tls=%ld name=%s\n", b, tls_counter, local_tls, tls_name);
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d result %ld\n", i, (long)(intptr_t)r);
	}
	printf("main after threads: tls_counter=%d local_tls=%ld\n", tls_counter, local_tls);
	return 0;
}
