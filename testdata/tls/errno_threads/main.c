#define _GNU_SOURCE
/* errno is thread-local: each thread's failures set its own errno, which other
 * threads' failures do not disturb; &errno differs per thread and agrees between objects. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int fail_with(int kind);
int *errno_addr(void);

static pthread_barrier_t bar;
struct res {
	int kind, before, after, same_addr, ok;
	int *addr;
};

static void *worker(void *arg)
{
	struct res *r = arg;
	r->before = errno; /* fresh thread: 0 */
	fail_with(r->kind);
	int mine = errno;
	pthread_barrier_wait(&bar); /* every thread has failed differently */
	pthread_barrier_wait(&bar);
	r->after = errno;
	r->ok = mine == r->after;
	r->addr = &errno;
	r->same_addr = errno_addr() == &errno;
	return NULL;
}

int main(void)
{
	enum { N = 8 };
	pthread_t t[N];
	struct res r[N];
	pthread_barrier_init(&bar, NULL, N + 1);
	errno = 0;
	for (int i = 0; i < N; i++) {
		r[i].kind = i;
		pthread_create(&t[i], NULL, worker, &r[i]);
	}
	pthread_barrier_wait(&bar);
	errno = 1234; /* main's own */
	pthread_barrier_wait(&bar);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++) {
		int distinct = r[i].addr != &errno;
		for (int j = 0; j < i; j++)
			distinct &= r[j].addr != r[i].addr;
		printf("thread %d: before %d after %s (kept %d) same-addr %d distinct %d\n", i, r[i].before,
		       strerrorname_np(r[i].after), r[i].ok, r[i].same_addr, distinct);
	}
	printf("main errno %d, same-addr %d\n", errno, errno_addr() == &errno);
	errno = 0;
	if (fail_with(0) < 0)
		perror("main open");
	return 0;
}
