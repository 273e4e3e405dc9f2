/* Thread-locals in objects compiled with -g (DTPOFF relocations in .debug_info). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern __thread int dbg_int;
extern __thread double dbg_dbl;
char *dbg_buf_addr(void);
long dbg_cxx_sum(void);

static void *worker(void *arg)
{
	long *r = arg;
	r[0] = dbg_int + (long)dbg_dbl + (long)strlen(dbg_buf_addr()) + dbg_cxx_sum();
	dbg_int = 100;
	return NULL;
}

int main(void)
{
	long r[2];
	dbg_dbl = 2.0;
	printf("main: %ld\n", dbg_int + (long)dbg_dbl + (long)strlen(dbg_buf_addr()) + dbg_cxx_sum());
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_create(&t, NULL, worker, &r[i]);
		pthread_join(t, NULL);
		printf("thread %d: %ld\n", i, r[i]);
	}
	printf("main: %ld %d\n", dbg_cxx_sum(), dbg_int);
	return 0;
}
