/* A plugin with a dependency: layer() wraps the dependency's through RTLD_NEXT. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
int dep_value(void);
int plug_calls;
__attribute__((constructor)) static void plug_init(void) { printf("plug init (calls %d)\n", plug_calls); }
__attribute__((destructor)) static void plug_fini(void) { printf("plug fini (calls %d)\n", plug_calls); }
int plug_fn(int x) { plug_calls++; return x + dep_value(); }
const char *layer(void) {
	const char *(*next)(void) = (const char *(*)(void))dlsym(RTLD_NEXT, "layer");
	static char buf[64];
	snprintf(buf, sizeof buf, "plug>%s", next ? next() : "(no next)");
	return buf;
}
