/* A precompiled library (gcc -shared) that uses the dynamic-loader API itself: under jitrun
   its dlopen/dlsym/dladdr/dlclose/dlerror calls must reach JIT'd dylibs too. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
static const char *base(const char *p) { const char *s = p ? strrchr(p, '/') : 0; return s ? s + 1 : p; }
int native_use_plugin(const char *name) {
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) { printf("native: dlopen %s failed: %s\n", name, dlerror()); return -1; }
	int (*fn)(int) = (int (*)(int))dlsym(h, "plug_fn");
	printf("native: plug_fn %s, plug_fn(2) = %d\n", fn ? "found" : "missing", fn ? fn(2) : -1);
	Dl_info info;
	if (dladdr((void *)fn, &info))
		printf("native: dladdr says %s in %s\n", info.dli_sname, base(info.dli_fname));
	if (!dlsym(h, "not_there"))
		printf("native: missing symbol error %s\n", dlerror() ? "set" : "empty");
	int *host_counter = (int *)dlsym(RTLD_DEFAULT, "host_counter");
	printf("native: RTLD_DEFAULT host_counter %s\n", host_counter ? "found" : "missing");
	if (dlopen("libsem_bad.so", RTLD_NOW) == 0)
		printf("native: bad load refused: %s\n", strstr(dlerror(), "undefined symbol: missing_fn") ? "undefined missing_fn" : "other");
	int r = dlclose(h);
	printf("native: dlclose %d, still loaded: %s\n", r, dlopen(name, RTLD_NOW | RTLD_NOLOAD) ? "yes" : "no");
	return 0;
}
