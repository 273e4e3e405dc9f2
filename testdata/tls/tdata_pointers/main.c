/* Initialised pointers in .tdata (relocated TLS initialisation image): to globals and
 * statics in this and other objects, string literals, functions, libc functions and
 * libc data; every thread starts with the same relocated values. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int global = 42;
static int local_static = 43;
extern int other_global, other_array[10];
extern const char other_text[];
int other_fn(int);
int *hidden_ptr(void);
extern __thread int *tls_to_hidden;
static int local_fn(int x) { return x + 1; }

__thread int *p_global = &global;
__thread int *p_static = &local_static;
__thread int *p_other = &other_global;
__thread int *p_other_elem = &other_array[7];
__thread const char *p_literal = "a string literal";
__thread const char *p_other_text = other_text + 5;
__thread int (*p_fn)(int) = local_fn;
__thread int (*p_other_fn)(int) = other_fn;
__thread size_t (*p_strlen)(const char *) = strlen;   /* libc function */
__thread void *(*p_malloc)(size_t) = malloc;
__thread FILE **p_stdout = &stdout;                     /* libc data */
static __thread struct {
	int *a, *b;
	const char *s;
} s_tls = {&global, &other_array[2], "struct"};

static void check(char *line, size_t n)
{
	snprintf(line, n,
	         "global %d static %d other %d elem %d literal '%s' text '%s' fn %d other_fn %d strlen %zu "
	         "malloc==%d stdout==%d struct %d %d %s hidden %d (same %d)",
	         *p_global, *p_static, *p_other, *p_other_elem, p_literal, p_other_text, p_fn(1), p_other_fn(2),
	         p_strlen("four"), p_malloc == malloc, *p_stdout == stdout, *s_tls.a, *s_tls.b, s_tls.s, *tls_to_hidden,
	         tls_to_hidden == hidden_ptr());
}

static void *thread_fn(void *arg)
{
	check(arg, 512);
	p_global = NULL; /* this thread's copy only */
	p_literal = "changed";
	return NULL;
}

int main(void)
{
	char line[512], tl[4][512];
	check(line, sizeof line);
	printf("main:    %s\n", line);
	p_global = &other_global;
	p_fn = other_fn;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_fn, tl[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		printf("thread%d: %s\n", i, tl[i]);
	}
	printf("main's copies after: global %d fn %d literal '%s'\n", *p_global, p_fn(10), p_literal);
	return 0;
}
