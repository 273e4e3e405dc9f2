// Native glue between jitrun's Go side and JIT'd code. Everything that must be C lives here:
// calls into JIT'd code, the dynamic loader, the program's exit path, signal-handler
// wrappers, and the host's copies of libc variables. The Go side decides everything else.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "glue.h"
#include "realdl.h"

// ---- Host copies of libc variables -------------------------------------------------------
// JIT'd position-dependent and PIE code reaches these with 32-bit PC-relative loads, as if the
// program were an executable with copy relocations. Taking their addresses from code with a
// PC-relative reference makes the (non-PIE) host executable carry real R_X86_64_COPY
// relocations: ld.so then binds libc and every library loaded later to the host's copies, so
// libc and JIT'd code share one variable (getopt's optind, setenv's environ, stdout
// reassignment) and dlsym agrees.
extern char *program_invocation_name, *program_invocation_short_name;
extern char *__progname, *__progname_full;
extern char **__environ;
extern char *__tzname[2];
extern long __timezone;
extern int __daylight;

#define HOSTVAR(sym)                                                  \
	static void *hostvar_##sym(void) {                              \
		void *p;                                                \
		__asm__("leaq " #sym "(%%rip), %0" : "=r"(p));          \
		return p;                                               \
	}
HOSTVAR(stdin)
HOSTVAR(stdout)
HOSTVAR(stderr)
HOSTVAR(environ)
HOSTVAR(__environ)
HOSTVAR(optarg)
HOSTVAR(optind)
HOSTVAR(opterr)
HOSTVAR(optopt)
HOSTVAR(tzname)
HOSTVAR(timezone)
HOSTVAR(daylight)
HOSTVAR(__tzname)
HOSTVAR(__timezone)
HOSTVAR(__daylight)
HOSTVAR(program_invocation_name)
HOSTVAR(program_invocation_short_name)
HOSTVAR(__progname)
HOSTVAR(__progname_full)

struct hostvar { const char *name; void *(*addr)(void); };
static const struct hostvar hostvars[] = {
	{"stdin", hostvar_stdin}, {"stdout", hostvar_stdout}, {"stderr", hostvar_stderr},
	{"environ", hostvar_environ}, {"__environ", hostvar___environ},
	{"optarg", hostvar_optarg}, {"optind", hostvar_optind}, {"opterr", hostvar_opterr},
	{"optopt", hostvar_optopt}, {"tzname", hostvar_tzname}, {"timezone", hostvar_timezone},
	{"daylight", hostvar_daylight}, {"__tzname", hostvar___tzname},
	{"__timezone", hostvar___timezone}, {"__daylight", hostvar___daylight},
	{"program_invocation_name", hostvar_program_invocation_name},
	{"program_invocation_short_name", hostvar_program_invocation_short_name},
	{"__progname", hostvar___progname}, {"__progname_full", hostvar___progname_full},
	{0, 0},
};

void *jitrun_hostvar_at(int i, const char **name) {
	if (i < 0 || i >= (int)(sizeof hostvars / sizeof hostvars[0]) - 1)
		return 0;
	*name = hostvars[i].name;
	return hostvars[i].addr();
}

// ---- Signal dispositions -----------------------------------------------------------------
// The dispositions the process started with, recorded before the Go runtime installs its own
// handlers, so the JIT'd program starts with what a native process would have had.
static struct sigaction initial_actions[65];
static sigset_t initial_mask;
static int initial_recorded;

// Runs from libc's start-up, before the Go runtime exists (the host is linked externally, so
// its entry is libc's _start). Besides recording the initial state, it blocks the signals a
// program sends itself (SIGUSR1, SIGALRM, ...) that the Go runtime lets a thread keep
// blocked: every Go thread inherits this mask, so a process-directed signal is delivered to
// the program's threads only, and one the program blocks stays pending, as natively. The
// main thread gets the initial mask back before the program starts.
// After jitrun re-executed itself for static TLS (tls.go), the environment the program sees
// is the one jitrun was given: GLIBC_TUNABLES and LD_PRELOAD go back to what they were.
static void restore_env(const char *name) {
	char key[64];
	snprintf(key, sizeof key, "JITRUN_ORIG_%s", name);
	const char *orig = getenv(key);
	if (!orig)
		return;
	if (orig[0] == '=')
		setenv(name, orig + 1, 1);
	else
		unsetenv(name);
	unsetenv(key);
}

static unsigned long reexec_align, reexec_surplus;

// What the re-execution provided ("ALIGN:SURPLUS"), or zeros in a first execution.
void jitrun_reexec_info(unsigned long *align, unsigned long *surplus) {
	*align = reexec_align;
	*surplus = reexec_surplus;
}

__attribute__((constructor(101))) static void clean_reexec_env(void) {
	const char *v = getenv("JITRUN_REEXEC");
	if (!v)
		return;
	if (sscanf(v, "%lu:%lu", &reexec_align, &reexec_surplus) != 2)
		reexec_align = reexec_surplus = 1;
	restore_env("GLIBC_TUNABLES");
	restore_env("LD_PRELOAD");
	unsetenv("JITRUN_REEXEC");
}

__attribute__((constructor)) static void record_initial_signals(void) {
	for (int s = 1; s < 65; s++)
		sigaction(s, 0, &initial_actions[s]);
	sigprocmask(SIG_SETMASK, 0, &initial_mask);
	sigset_t block;
	sigemptyset(&block);
	int program_signals[] = {SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM,
	                         SIGIO, SIGPWR};
	for (unsigned i = 0; i < sizeof program_signals / sizeof program_signals[0]; i++)
		sigaddset(&block, program_signals[i]);
	for (int s = SIGRTMIN + 2; s <= SIGRTMAX; s++)
		sigaddset(&block, s);
	sigprocmask(SIG_BLOCK, &block, 0);
	initial_recorded = 1;
}

int jitrun_initial_recorded(void) { return initial_recorded; }

// Signals the Go runtime needs for itself while JIT'd code runs: faults raised by Go code,
// preemption and profiling. Everything else goes back to its initial disposition.
static int go_needs(int s) {
	return s == SIGSEGV || s == SIGBUS || s == SIGFPE || s == SIGILL || s == SIGTRAP ||
	       s == SIGURG || s == SIGPROF || s == SIGSYS || s >= 32;
}

void jitrun_restore_signals(void) {
	if (!initial_recorded)
		return;
	for (int s = 1; s < 32; s++) {
		if (s == SIGKILL || s == SIGSTOP || go_needs(s))
			continue;
		struct sigaction a = initial_actions[s];
		if (a.sa_handler != SIG_DFL && a.sa_handler != SIG_IGN)
			continue;
		sigaction(s, &a, 0);
	}
	// A native program starts with the signal mask its parent gave it.
	pthread_sigmask(SIG_SETMASK, &initial_mask, 0);
}

// The JIT'd program's own sigaction/signal calls come here: a handler running on a thread the
// Go runtime also uses must run on the alternate signal stack (SA_ONSTACK), else Go aborts.
int jitrun_sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
	int r;
	if (jitrun_crash_sigaction(sig, act, old, &r)) // the crash signals: crash.c's table
		return r;
	if (act && !(act->sa_flags & SA_SIGINFO) &&
	    (act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN))
		return sigaction(sig, act, old);
	if (act) {
		struct sigaction a = *act;
		a.sa_flags |= SA_ONSTACK;
		return sigaction(sig, &a, old);
	}
	return sigaction(sig, act, old);
}

typedef void (*handler_t)(int);

static handler_t bsd_signal_impl(int sig, handler_t h, int flags) {
	struct sigaction a, o;
	memset(&a, 0, sizeof a);
	a.sa_handler = h;
	sigemptyset(&a.sa_mask);
	sigaddset(&a.sa_mask, sig);
	a.sa_flags = flags;
	if (jitrun_sigaction(sig, &a, &o) < 0)
		return SIG_ERR;
	return o.sa_handler;
}

handler_t jitrun_signal(int sig, handler_t h) { return bsd_signal_impl(sig, h, SA_RESTART); }

handler_t jitrun_sysv_signal(int sig, handler_t h) {
	struct sigaction a, o;
	memset(&a, 0, sizeof a);
	a.sa_handler = h;
	sigemptyset(&a.sa_mask);
	a.sa_flags = SA_ONESHOT | SA_NOMASK | SA_INTERRUPT;
	a.sa_flags &= ~SA_RESTART;
	if (jitrun_sigaction(sig, &a, &o) < 0)
		return SIG_ERR;
	return o.sa_handler;
}

// ---- File descriptors --------------------------------------------------------------------
// A native program's first open() returns 3. jitrun's own descriptors (the Go runtime's
// cgroup files and poller, in-memory objects) must not take the low numbers the program
// expects, so before the Go runtime starts, every free descriptor below 64 is held by a
// placeholder; what jitrun opens lands above, and the placeholders close right before the
// program starts. Descriptors the parent passed in are left alone.
static int placeholders[64];
static int nplaceholders;

__attribute__((constructor(102))) static void reserve_low_fds(void) {
	int src = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return;
	placeholders[nplaceholders++] = src;
	for (int fd = 3; fd < 64; fd++) {
		if (fd == src || fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (dup3(src, fd, O_CLOEXEC) == fd)
			placeholders[nplaceholders++] = fd;
	}
}

void jitrun_release_low_fds(void) {
	for (int i = 0; i < nplaceholders; i++)
		close(placeholders[i]);
	nplaceholders = 0;
}

// ---- Dynamic loader ---------------------------------------------------------------------
void *jitrun_dlopen(const char *path, int flags) { return dlopen(path, flags); }
const char *jitrun_dlerror(void) { return dlerror(); }
int jitrun_dlclose(void *h) { return dlclose(h); }
void *jitrun_dlsym(void *h, const char *name) { return dlsym(h, name); }
void *jitrun_dlvsym(void *h, const char *name, const char *ver) { return dlvsym(h, name, ver); }

uintptr_t jitrun_load_base(void *h) {
	struct link_map *lm = 0;
	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return 0;
	return lm->l_addr;
}

// ---- Calls into JIT'd code ---------------------------------------------------------------
uintptr_t jitrun_call(uintptr_t fn, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d,
                      uintptr_t e, uintptr_t f) {
	return ((uintptr_t(*)(uintptr_t, uintptr_t, uintptr_t, uintptr_t, uintptr_t, uintptr_t))fn)(
	    a, b, c, d, e, f);
}

typedef void (*initfn)(int, char **, char **);

static struct {
	uintptr_t *fns;
	long n;
} fini_lists[64];
static int nfini_lists;

// Runs one dylib's finalisers (already in run order) at exit, after the atexit handlers that
// were registered after it, as ld.so's _dl_fini does for a native executable.
static void run_finis(void *arg) {
	long i = (long)arg;
	for (long k = 0; k < fini_lists[i].n; k++)
		((void (*)(void))fini_lists[i].fns[k])();
}

extern int __cxa_atexit(void (*)(void *), void *, void *);

int jitrun_register_finis(uintptr_t *fns, long n) {
	if (nfini_lists == 64)
		return -1;
	int i = nfini_lists++;
	fini_lists[i].fns = fns;
	fini_lists[i].n = n;
	return __cxa_atexit(run_finis, (void *)(long)i, 0);
}

// ---- Finalisers of JIT'd dylibs still loaded at exit ----------------------------------------
// glibc runs them from _dl_fini, after every atexit handler and after the executable's own
// finalisers: one handler, registered before the program's, runs the lists in the order the
// Go side computes (glibc's: load order, each dylib before the dylibs it depends on).
static struct jitrun_fini_list *exit_order;
static long exit_n;
static int exit_registered;

static void run_dylib_exit_finis(void *arg) {
	(void)arg;
	struct jitrun_fini_list *l = exit_order;
	long n = exit_n;
	exit_order = 0;
	exit_n = 0;
	for (long i = 0; i < n; i++)
		for (long k = 0; k < l[i].n; k++)
			((void (*)(void))l[i].fns[k])();
}

void jitrun_register_dylib_exit(void) {
	if (exit_registered)
		return;
	exit_registered = 1;
	__cxa_atexit(run_dylib_exit_finis, 0, 0);
}

// Takes ownership of l (malloc'd); the lists it points to stay the caller's.
void jitrun_set_dylib_exit_order(struct jitrun_fini_list *l, long n) {
	struct jitrun_fini_list *old = exit_order;
	exit_order = l;
	exit_n = n;
	free(old);
}

void jitrun_run_fini_list(uintptr_t *fns, long n) {
	for (long k = 0; k < n; k++)
		((void (*)(void))fns[k])();
}

extern void __cxa_finalize(void *);

void jitrun_cxa_finalize(void *dso) { __cxa_finalize(dso); }

// Makes the process look like the JIT'd program to libc: program_invocation_name and its short
// form (used by error(), getopt messages, err()) name the program's argv[0].
void jitrun_set_progname(char *argv0) {
	program_invocation_name = argv0;
	char *slash = strrchr(argv0, '/');
	program_invocation_short_name = slash ? slash + 1 : argv0;
}

void jitrun_run_inits(uintptr_t *fns, long n, int argc, char **argv, char **envp) {
	if (!envp)
		envp = environ;
	for (long k = 0; k < n; k++)
		((initfn)fns[k])(argc, argv, envp);
}

// Runs main and leaves through libc's exit, so stdio is flushed and atexit handlers and
// finalisers run exactly as after a native main returns.
void jitrun_run_main(uintptr_t mainfn, int argc, char **argv, char **envp) {
	if (!envp)
		envp = environ;
	int status = ((int (*)(int, char **, char **))mainfn)(argc, argv, envp);
	exit(status);
}

// ---- Unwind registration -----------------------------------------------------------------
static void (*register_frame)(void *);
static void (*deregister_frame)(void *);

int jitrun_register_eh_frame(void *begin) {
	if (!register_frame) {
		void *h = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL);
		if (!h)
			return -1;
		register_frame = (void (*)(void *))dlsym(h, "__register_frame");
		deregister_frame = (void (*)(void *))dlsym(h, "__deregister_frame");
		if (!register_frame)
			return -1;
	}
	register_frame(begin);
	return 0;
}

void jitrun_deregister_eh_frame(void *begin) {
	if (deregister_frame)
		deregister_frame(begin);
}

// ---- Runtime definitions for JIT'd code --------------------------------------------------
static const struct {
	const char *name;
	void *fn;
} runtime_symbols[] = {
    {"sigaction", (void *)jitrun_sigaction},         {"__sigaction", (void *)jitrun_sigaction},
    {"signal", (void *)jitrun_signal},               {"bsd_signal", (void *)jitrun_signal},
    {"__bsd_signal", (void *)jitrun_signal},         {"sysv_signal", (void *)jitrun_sysv_signal},
    {"__sysv_signal", (void *)jitrun_sysv_signal},
    {"pthread_create", (void *)jitrun_pthread_create}, // a signal stack for the thread (crash.c)
};

uintptr_t jitrun_runtime_symbol_at(int i, const char **name) {
	if (i < 0 || (unsigned)i >= sizeof runtime_symbols / sizeof runtime_symbols[0])
		return 0;
	*name = runtime_symbols[i].name;
	return (uintptr_t)runtime_symbols[i].fn;
}

// ---- Loaded objects ----------------------------------------------------------------------
struct list_ctx {
	struct jitrun_obj *out;
	int max, n;
};

static int list_cb(struct dl_phdr_info *info, size_t size, void *arg) {
	(void)size;
	struct list_ctx *c = arg;
	if (c->n >= c->max)
		return 1;
	struct jitrun_obj *o = &c->out[c->n++];
	o->base = info->dlpi_addr;
	o->name = info->dlpi_name;
	o->relro_start = o->relro_end = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
			o->relro_start = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
			o->relro_end = o->relro_start + info->dlpi_phdr[i].p_memsz;
		}
	}
	return 0;
}

// Lists the objects the dynamic loader has loaded (dl_iterate_phdr), up to max.
int jitrun_list_objects(struct jitrun_obj *out, int max) {
	struct list_ctx c = {out, max, 0};
	dl_iterate_phdr(list_cb, &c);
	return c.n;
}

// ---- Thread-local storage of loaded libraries ---------------------------------------------
// Reports a library's TLS module id and, when its block is static TLS (at a fixed offset from
// the thread pointer on every thread, as for libraries loaded at start-up), that offset.
int jitrun_tls_info(void *h, uintptr_t *modid, intptr_t *tpoff) {
	size_t id = 0;
	if (dlinfo(h, RTLD_DI_TLS_MODID, &id) != 0 || id == 0)
		return -1;
	*modid = id;
	*tpoff = 0;
	void *block = 0;
	if (dlinfo(h, RTLD_DI_TLS_DATA, &block) == 0 && block) {
		uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
		uintptr_t b = (uintptr_t)block;
		if (b < tp && tp - b <= (1u << 20))
			*tpoff = (intptr_t)(b - tp);
	}
	return 0;
}

// ---- Dynamic TLS descriptors -------------------------------------------------------------
// The resolver of a TLS descriptor whose block is dynamic TLS. Called as `call *(%rax)` with
// %rax pointing at the descriptor {this function, &tls_index}; returns in %rax the variable's
// offset from the thread pointer. The descriptor ABI lets it change only %rax and the flags:
// callers keep values in every other register, vector registers included, across the call
// (vectorised loops do), so it saves the integer registers __tls_get_addr may clobber and the
// whole extended state with XSAVE (its size read from CPUID at start-up).
unsigned long jitrun_xsave_size;

__attribute__((constructor)) static void size_xsave(void) {
	unsigned a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27))) // OSXSAVE: the OS enabled XSAVE
		return;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
	jitrun_xsave_size = ((unsigned long)b + 63) & ~63UL;
}

// Each thread caches the offsets it resolved (direct-mapped on the tls_index address), so a
// variable's first access takes the slow path and later ones cost a few instructions. A JIT'd
// TLS module's unloading bumps the epoch, which empties every cache.
struct tlsdesc_cache_entry {
	uintptr_t key;
	long off;
	unsigned long epoch;
	unsigned long pad;
};
__thread struct tlsdesc_cache_entry jitrun_tlsdesc_cache[64] __attribute__((aligned(64)));
unsigned long jitrun_tls_epoch = 1;

void jitrun_tls_epoch_bump(void) { __atomic_add_fetch(&jitrun_tls_epoch, 1, __ATOMIC_SEQ_CST); }

__asm__(".text\n"
        ".globl jitrun_tlsdesc_dynamic\n"
        ".type jitrun_tlsdesc_dynamic,@function\n"
        "jitrun_tlsdesc_dynamic:\n"
        "	.cfi_startproc\n"
        "	movq 8(%rax), %rax\n"               /* key: the descriptor's tls_index */
        "	pushq %rcx\n	.cfi_adjust_cfa_offset 8\n"
        "	pushq %rdx\n	.cfi_adjust_cfa_offset 8\n"
        "	movq %rax, %rdx\n"
        "	shrq $3, %rdx\n	andq $63, %rdx\n	shlq $5, %rdx\n"
        "	movq %fs:0, %rcx\n"
        "	leaq jitrun_tlsdesc_cache@tpoff(%rcx,%rdx), %rcx\n"
        "	cmpq %rax, (%rcx)\n"
        "	jne 3f\n"
        "	movq jitrun_tls_epoch(%rip), %rdx\n"
        "	cmpq %rdx, 16(%rcx)\n"
        "	jne 3f\n"
        "	movq 8(%rcx), %rax\n"
        "	popq %rdx\n	.cfi_adjust_cfa_offset -8\n"
        "	popq %rcx\n	.cfi_adjust_cfa_offset -8\n"
        "	ret\n"
        "3:	popq %rdx\n	.cfi_adjust_cfa_offset -8\n"
        "	popq %rcx\n	.cfi_adjust_cfa_offset -8\n"
        "	pushq %rbp\n	.cfi_adjust_cfa_offset 8\n	.cfi_offset %rbp, -16\n"
        "	movq %rsp, %rbp\n	.cfi_def_cfa_register %rbp\n"
        "	pushq %rdi\n	pushq %rsi\n	pushq %rdx\n	pushq %rcx\n"
        "	pushq %r8\n	pushq %r9\n	pushq %r10\n	pushq %r11\n"
        "	pushq %rax\n"                       /* -72(%rbp): key */
        "	pushq jitrun_tls_epoch(%rip)\n"     /* -80(%rbp): epoch before resolving */
        "	movq %rax, %rdi\n"
        "	movq jitrun_xsave_size(%rip), %rcx\n"
        "	testq %rcx, %rcx\n"
        "	jz 1f\n"
        "	subq %rcx, %rsp\n"
        "	andq $-64, %rsp\n"
        "	xorl %eax, %eax\n"                 /* XRSTOR needs a clean XSAVE header */
        "	movq %rax, 512(%rsp)\n	movq %rax, 520(%rsp)\n	movq %rax, 528(%rsp)\n	movq %rax, 536(%rsp)\n"
        "	movq %rax, 544(%rsp)\n	movq %rax, 552(%rsp)\n	movq %rax, 560(%rsp)\n	movq %rax, 568(%rsp)\n"
        "	movl $-1, %eax\n	movl $-1, %edx\n"
        "	xsave64 (%rsp)\n"
        "1:	andq $-16, %rsp\n"
        "	call __tls_get_addr@PLT\n"
        "	subq %fs:0, %rax\n"
        "	movq %rax, %rsi\n"
        "	cmpq $0, jitrun_xsave_size(%rip)\n"
        "	jz 2f\n"
        "	movq jitrun_xsave_size(%rip), %rcx\n"
        "	leaq -80(%rbp), %rsp\n"
        "	subq %rcx, %rsp\n"
        "	andq $-64, %rsp\n"
        "	movl $-1, %eax\n	movl $-1, %edx\n"
        "	xrstor64 (%rsp)\n"
        "2:	movq -72(%rbp), %rdi\n"             /* fill this thread's cache entry */
        "	movq %rdi, %rdx\n"
        "	shrq $3, %rdx\n	andq $63, %rdx\n	shlq $5, %rdx\n"
        "	movq %fs:0, %rcx\n"
        "	leaq jitrun_tlsdesc_cache@tpoff(%rcx,%rdx), %rcx\n"
        "	movq %rdi, (%rcx)\n"
        "	movq %rsi, 8(%rcx)\n"
        "	movq -80(%rbp), %rdx\n"
        "	movq %rdx, 16(%rcx)\n"
        "	movq %rsi, %rax\n"
        "	leaq -64(%rbp), %rsp\n"
        "	popq %r11\n	popq %r10\n	popq %r9\n	popq %r8\n"
        "	popq %rcx\n	popq %rdx\n	popq %rsi\n	popq %rdi\n"
        "	popq %rbp\n	.cfi_def_cfa %rsp, 8\n"
        "	ret\n"
        "	.cfi_endproc\n"
        ".size jitrun_tlsdesc_dynamic, .-jitrun_tlsdesc_dynamic\n");

extern char jitrun_tlsdesc_dynamic[];
uintptr_t jitrun_tlsdesc_resolver(void) { return (uintptr_t)jitrun_tlsdesc_dynamic; }
