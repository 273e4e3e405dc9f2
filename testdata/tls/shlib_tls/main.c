/* TLS defined in a precompiled shared library (loaded by the system's loader), used
 * from JIT'd code in every TLS model, from the main thread and from threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int *so_counter_addr(void);
int so_bump(int by);
int so_private_value(void);
const char *so_get_name(void);
int so_visit(int (*cb)(int *));
int user_read(void);
void user_write(int v);
int user_name_ok(void);
long user_bss(void);
void *user_addr(void);
extern __thread int so_counter;

static __thread int *seen; /* per thread: threads run check() concurrently */
static int cb(int *p) { return p == seen; }

static void check(char *line, size_t n, int id)
{
	int fresh = so_counter == 100 && user_read() == 100 && user_name_ok() && user_bss() == 0 &&
	            so_private_value() == 7 && strcmp(so_get_name(), "libtls") == 0;
	int same = so_counter_addr() == &so_counter && user_addr() == (void *)&so_counter;
	seen = &so_counter;
	int visit = so_visit(cb);
	user_write(200 + id);
	int after = so_bump(id);
	snprintf(line, n, "fresh %d same-address %d visit %d counter %d bump %d bss %ld", fresh, same, visit,
	         so_counter, after, user_bss());
}

static void *thread_fn(void *arg)
{
	long id = (long)arg;
	static char lines[8][200];
	check(lines[id], sizeof lines[id], (int)id);
	return lines[id];
}

int main(void)
{
	char line[200];
	pthread_t t[4];
	/* Two threads start before the main thread uses the library's TLS. */
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, thread_fn, (void *)(i + 1));
	check(line, sizeof line, 0);
	printf("main: %s\n", line);
	for (long i = 2; i < 4; i++)
		pthread_create(&t[i], NULL, thread_fn, (void *)(i + 1));
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread%d: %s\n", i + 1, (char *)r);
	}
	printf("main counter still %d\n", so_counter);
	return 0;
}
