// Declarations of the native glue (glue.c) that the Go side calls.
#include <stdint.h>

// The i-th libc variable the host executable has a copy of, its name in *name; 0 past the end.
void *jitrun_hostvar_at(int i, const char **name);
int jitrun_initial_recorded(void);
void jitrun_restore_signals(void);
void *jitrun_dlopen(const char *path, int flags);
const char *jitrun_dlerror(void);
void *jitrun_dlsym(void *h, const char *name);
void *jitrun_dlvsym(void *h, const char *name, const char *ver);
uintptr_t jitrun_load_base(void *h);
uintptr_t jitrun_call(uintptr_t fn, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d, uintptr_t e, uintptr_t f);
int jitrun_register_finis(uintptr_t *fns, long n);
void jitrun_run_inits(uintptr_t *fns, long n, int argc, char **argv, char **envp);
void jitrun_run_main(uintptr_t mainfn, int argc, char **argv, char **envp);
int jitrun_register_eh_frame(void *begin);
void jitrun_deregister_eh_frame(void *begin);
// The i-th definition jitrun provides in place of libc's, its name in *name; 0 past the end.
uintptr_t jitrun_runtime_symbol_at(int i, const char **name);
void jitrun_set_progname(char *argv0);
struct jitrun_obj {
	uintptr_t base;
	const char *name;
	uintptr_t relro_start, relro_end;
};
int jitrun_list_objects(struct jitrun_obj *out, int max);
int jitrun_tls_info(void *h, uintptr_t *modid, intptr_t *tpoff);
void jitrun_cxa_finalize(void *dso);
int jitrun_dlclose(void *h);
uintptr_t jitrun_tlsdesc_resolver(void);
void jitrun_reexec_info(unsigned long *align, unsigned long *surplus);
void jitrun_release_low_fds(void);
void jitrun_tls_epoch_bump(void);
struct jitrun_fini_list {
	uintptr_t *fns;
	long n;
};
void jitrun_register_dylib_exit(void);
void jitrun_set_dylib_exit_order(struct jitrun_fini_list *l, long n);
void jitrun_run_fini_list(uintptr_t *fns, long n);
