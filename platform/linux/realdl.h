// glibc's own dynamic-loader functions. The jitrun executable defines dlopen, dlsym,
// dlclose, dlerror, dladdr, dladdr1, dlinfo and dl_iterate_phdr itself (dlemu/interpose.c) so
// that precompiled libraries calling them reach the emulation; jitrun's own C code includes
// this header after <dlfcn.h> and <link.h> to call glibc's versions instead.
#ifndef JITRUN_REALDL_H
#define JITRUN_REALDL_H
#include <dlfcn.h>
#include <link.h>

struct jitrun_real_dl {
	void *(*dlopen)(const char *, int);
	void *(*dlsym)(void *, const char *);
	int (*dlclose)(void *);
	char *(*dlerror)(void);
	int (*dladdr)(const void *, Dl_info *);
	int (*dladdr1)(const void *, Dl_info *, void **, int);
	int (*dlinfo)(void *, int, void *);
	int (*dl_iterate_phdr)(int (*)(struct dl_phdr_info *, size_t, void *), void *);
};

// jitrun_real_dl returns glibc's functions (resolved once, at start-up or first use).
const struct jitrun_real_dl *jitrun_real_dl(void);

#ifndef JITRUN_REALDL_NO_MACROS
#define dlopen (jitrun_real_dl()->dlopen)
#define dlsym (jitrun_real_dl()->dlsym)
#define dlclose (jitrun_real_dl()->dlclose)
#define dlerror (jitrun_real_dl()->dlerror)
#define dladdr (jitrun_real_dl()->dladdr)
#define dladdr1 (jitrun_real_dl()->dladdr1)
#define dlinfo (jitrun_real_dl()->dlinfo)
#define dl_iterate_phdr (jitrun_real_dl()->dl_iterate_phdr)
#endif
#endif
