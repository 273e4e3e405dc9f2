/* C code compiled with -fexceptions: C++ exceptions from callbacks unwind through it,
 * running its cleanup-attribute handlers. */
#include <stdio.h>
#include <stdlib.h>

static void release(char **p)
{
	if (*p) {
		printf("  C cleanup releases buffer '%s'\n", *p);
		free(*p);
	}
}

int c_walk(const int *v, int n, int (*visit)(int, void *), void *ctx)
{
	char *buf __attribute__((cleanup(release))) = malloc(16);
	snprintf(buf, 16, "walk%d", n);
	int total = 0;
	for (int i = 0; i < n; i++)
		total += visit(v[i], ctx);
	return total;
}

/* A C function pointer table dispatching to C++ handlers. */
struct ops {
	int (*pre)(int);
	int (*post)(int);
};

int c_apply(const struct ops *o, int x)
{
	char *buf __attribute__((cleanup(release))) = malloc(16);
	snprintf(buf, 16, "apply%d", x);
	return o->post(o->pre(x));
}
