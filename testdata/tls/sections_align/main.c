/* .tdata and .tbss sections in several objects with alignments 1..64: each thread
 * gets correctly aligned, correctly initialised copies (a thread that scribbles over
 * its copies does not disturb the next one). */
#include "defs.h"
#include <pthread.h>
#include <stdio.h>

void scribble_a(int), scribble_b(int), scribble_c(int), scribble_d(int);
void scribble_all(int v) { scribble_a(v), scribble_b(v), scribble_c(v), scribble_d(v); }

static char lines[32][256]; /* one per thread, printed in order by main */

static void check_all(const char *who, char *line)
{
	struct obj_report r[4];
	check_a(&r[0]), check_b(&r[1]), check_c(&r[2]), check_d(&r[3]);
	int n = snprintf(line, 256, "%-8s", who);
	for (int i = 0; i < 4; i++)
		n += snprintf(line + n, 256 - n, " %s:ok=%d,aligned=%d", r[i].name, r[i].ok, r[i].aligned);
}

static void *thread_fn(void *arg)
{
	char name[16];
	long i = (long)arg;
	snprintf(name, sizeof name, "thread%ld", i);
	check_all(name, lines[i]);
	scribble_all((int)i + 1);
	return NULL;
}

int main(void)
{
	check_all("main", lines[31]);
	puts(lines[31]);
	scribble_all(99);
	for (long i = 0; i < 4; i++) {
		pthread_t t;
		pthread_create(&t, NULL, thread_fn, (void *)i);
		pthread_join(t, NULL); /* sequential: threads may reuse each other's stacks and TLS */
		puts(lines[i]);
	}
	pthread_t ts[8];
	for (long i = 0; i < 8; i++)
		pthread_create(&ts[i], NULL, thread_fn, (void *)(10 + i));
	for (int i = 0; i < 8; i++) {
		pthread_join(ts[i], NULL);
		puts(lines[10 + i]);
	}
	struct obj_report r;
	check_a(&r);
	printf("main after: a ok=%d (scribbled, expect 0)\n", r.ok);
	return 0;
}
