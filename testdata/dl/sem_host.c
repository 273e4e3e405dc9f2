/* glibc's dlopen semantics on JIT'd dylibs, compared with real shared libraries run natively:
   dependencies and their order, LOCAL/GLOBAL/NOLOAD/NODELETE, dlopen(NULL), RTLD_DEFAULT and
   RTLD_NEXT, dlvsym, reference counts, failed loads, per-thread dlerror, dladdr/dladdr1/dlinfo,
   and a precompiled library using the same API. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int host_counter = 7;
int native_use_plugin(const char *name);

static const char *base(const char *p) { const char *s = p ? strrchr(p, '/') : 0; return s ? s + 1 : p; }

static int listed_cb(struct dl_phdr_info *info, size_t size, void *data) {
	(void)size;
	if (strstr(info->dlpi_name, (const char *)((void **)data)[0]))
		++*(int *)((void **)data)[1];
	return 0;
}
static int listed(const char *name) {
	int n = 0;
	void *d[2] = {(void *)name, &n};
	dl_iterate_phdr(listed_cb, d);
	return n;
}

static void *thread_error(void *arg) {
	(void)arg;
	return (void *)(dlerror() ? "set" : "empty");
}

static void *sym(void *h, const char *name) { return dlsym(h, name); }

int main(void) {
	setvbuf(stdout, 0, _IONBF, 0);
	void *self = dlopen(NULL, RTLD_NOW);
	printf("dlopen(NULL) finds host_counter: %s\n", sym(self, "host_counter") == &host_counter ? "yes" : "no");

	printf("-- local load, twice\n");
	void *h = dlopen("libsem_plug.so", RTLD_NOW | RTLD_LOCAL);
	if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
	void *h2 = dlopen("./libsem_plug.so", RTLD_LAZY | RTLD_LOCAL);
	printf("second open, same handle: %s\n", h2 == h ? "yes" : "no");
	int (*plug_fn)(int) = (int (*)(int))sym(h, "plug_fn");
	printf("plug_fn(2) = %d\n", plug_fn(2));
	const char *(*layer)(void) = (const char *(*)(void))sym(h, "layer");
	printf("layer() = %s\n", layer());
	printf("dep_value through the plugin's handle: %s\n", sym(h, "dep_value") ? "found" : "missing");
	printf("RTLD_DEFAULT plug_fn while LOCAL: %s\n", dlsym(RTLD_DEFAULT, "plug_fn") ? "found" : "not found");
	printf("dlerror: %s\n", dlerror() ? "set" : "empty");
	printf("dlerror again: %s\n", dlerror() ? "set" : "empty");
	printf("listed: plug %d, dep %d\n", listed("libsem_plug"), listed("libsem_dep"));
	printf("dlclose (1 of 2): %d\n", dlclose(h2));
	printf("still usable: plug_fn(1) = %d\n", plug_fn(1));
	printf("dlclose (2 of 2): %d\n", dlclose(h));
	void *gone = dlopen("libsem_plug.so", RTLD_NOW | RTLD_NOLOAD);
	printf("after the last close: %s, listed: plug %d, dep %d\n", gone ? "loaded" : "gone", listed("libsem_plug"),
	       listed("libsem_dep"));

	printf("-- reload runs initializers on fresh data\n");
	h = dlopen("libsem_plug.so", RTLD_NOW);
	plug_fn = (int (*)(int))sym(h, "plug_fn");
	int v = plug_fn(3);
	printf("plug_fn(3) = %d, plug_calls = %d\n", v, *(int *)sym(h, "plug_calls"));

	printf("-- promote to GLOBAL with NOLOAD\n");
	h2 = dlopen("libsem_plug.so", RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
	printf("NOLOAD handle same: %s\n", h2 == h ? "yes" : "no");
	printf("RTLD_DEFAULT plug_fn now: %s\n", dlsym(RTLD_DEFAULT, "plug_fn") == (void *)plug_fn ? "same" : "different");
	printf("dlvsym(RTLD_DEFAULT, puts, GLIBC_2.2.5): %s\n", dlvsym(RTLD_DEFAULT, "puts", "GLIBC_2.2.5") ? "found" : "missing");
	Dl_info info;
	void *extra = 0;
	if (dladdr1((void *)plug_fn, &info, &extra, RTLD_DL_SYMENT))
		printf("dladdr1: %s in %s\n", info.dli_sname, base(info.dli_fname));
	char origin[4096], cwd[4096], ro[4096];
	if (dlinfo(h, RTLD_DI_ORIGIN, origin) == 0 && getcwd(cwd, sizeof cwd) && realpath(origin, ro))
		printf("dlinfo origin is the directory: %s\n", strcmp(ro, cwd) == 0 ? "yes" : "no");
	pthread_t t;
	void *r;
	sym(h, "no_such_thing");
	pthread_create(&t, 0, thread_error, 0);
	pthread_join(t, &r);
	printf("error pending here, other thread sees: %s; ", (char *)r);
	printf("here: %s\n", dlerror() ? "set" : "empty");
	// A lookup through the global scope from the executable ties the plugin to it (glibc
	// records a dependency): closing both references leaves it loaded.
	printf("dlclose x2: %d %d\n", dlclose(h2), dlclose(h));
	printf("after closing a library found through RTLD_DEFAULT: %s\n",
	       dlopen("libsem_plug.so", RTLD_NOW | RTLD_NOLOAD) ? "loaded" : "gone");

	printf("-- failed load leaves nothing behind\n");
	void *bad = dlopen("libsem_bad.so", RTLD_NOW);
	const char *e = dlerror();
	printf("bad: %s, error names missing_fn: %s\n", bad ? "loaded" : "refused",
	       e && strstr(e, "undefined symbol: missing_fn") ? "yes" : "no");
	printf("bad listed: %d\n", listed("libsem_bad"));
	printf("bad NOLOAD: %s\n", dlopen("libsem_bad.so", RTLD_NOW | RTLD_NOLOAD) ? "loaded" : "gone");

	printf("-- NODELETE\n");
	h = dlopen("libsem_nd.so", RTLD_NOW | RTLD_NODELETE);
	printf("nd_fn() = %d, dlclose %d\n", ((int (*)(void))sym(h, "nd_fn"))(), dlclose(h));
	printf("after dlclose of NODELETE: %s\n", dlopen("libsem_nd.so", RTLD_NOW | RTLD_NOLOAD) ? "loaded" : "gone");

	printf("-- a precompiled library using the API\n");
	native_use_plugin("libsem_plug.so");
	printf("exit\n");
	return 0;
}
