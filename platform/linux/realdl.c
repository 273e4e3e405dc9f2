// glibc's dynamic-loader functions, found past the executable's own definitions.
#define _GNU_SOURCE
#define JITRUN_REALDL_NO_MACROS
#include "realdl.h"

static struct jitrun_real_dl real;
static volatile int resolved;

// dlvsym is the one function jitrun does not define, so it reaches glibc; RTLD_NEXT from the
// executable skips its definitions. GLIBC_2.34 is where libdl merged into libc; older
// versions are the fallback.
static void *find(const char *name) {
	static const char *versions[] = {"GLIBC_2.34", "GLIBC_2.2.5"};
	for (unsigned i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		void *p = dlvsym(RTLD_NEXT, name, versions[i]);
		if (p)
			return p;
	}
	return 0;
}

// Idempotent: threads racing here store the same values.
static void resolve(void) {
	real.dlopen = find("dlopen");
	real.dlsym = find("dlsym");
	real.dlclose = find("dlclose");
	real.dlerror = find("dlerror");
	real.dladdr = find("dladdr");
	real.dladdr1 = find("dladdr1");
	real.dlinfo = find("dlinfo");
	real.dl_iterate_phdr = find("dl_iterate_phdr");
	__atomic_store_n(&resolved, 1, __ATOMIC_RELEASE);
}

__attribute__((constructor(101))) static void resolve_at_start(void) { resolve(); }

const struct jitrun_real_dl *jitrun_real_dl(void) {
	if (!__atomic_load_n(&resolved, __ATOMIC_ACQUIRE))
		resolve();
	return &real;
}
