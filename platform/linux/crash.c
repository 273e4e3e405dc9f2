// Crash reports, the part that runs when the signal arrives. Package crash (the reporter, a
// separate process) does the rest: unwinding, symbolication, printing.
//
// After the Go runtime has installed its handlers and right before the program starts,
// jitrun_crash_install puts crash_handler in front of them for SIGSEGV, SIGBUS, SIGILL,
// SIGFPE, SIGTRAP and SIGABRT (SA_SIGINFO|SA_ONSTACK), keeping the previous (Go's) actions.
// When one arrives:
//
//   - a fault raised by Go code (its pc between runtime.text and runtime.etext, sent by the
//     kernel) goes to Go's handler, called exactly as the kernel would have: nil-pointer
//     panics and Go's own crash output are unchanged;
//   - otherwise the program's view decides. The program's sigaction/signal calls for these
//     signals (jitrun_sigaction in glue.c) are recorded in a table here instead of replacing
//     this handler, and return their old actions from it: a handler the program installed
//     runs first, with its own mask, SA_SIGINFO or not, SA_RESETHAND and SA_NODEFER as the
//     kernel would apply them; SIG_IGN ignores what the kernel would let be ignored (a signal
//     sent with kill or raise); SIG_DFL, and faults that cannot be ignored, are a crash.
//   - a crash takes a lock (a second crashing thread waits: the process is about to die),
//     waits up to 2 s for background debug-file writes to finish, and starts the reporter:
//     vfork+execve of /proc/self/exe `__crash ...` with argument and environment vectors
//     prepared at configuration time, the addresses of the siginfo and ucontext formatted
//     into a static buffer. The reporter reads them, and everything else, from this process
//     (ptrace, process_vm_readv) while this thread waits for it to exit.
//   - a signal the program sends itself from its own crash handler (a crash reporter of its
//     own restoring SIG_DFL and raising the signal again, or calling abort) is not reported:
//     the program has handled the crash, and its stderr stays what it natively is.
//   - then the process dies as the native program would: the action goes back to SIG_DFL;
//     a fault is re-executed (the kernel kills the process with the original siginfo, for
//     the core dump and the parent), a signal that was sent (abort, raise, kill) or a trap is
//     sent again to this thread, delivered when the handler returns.
//
// Everything on the signal path is async-signal-safe: system calls, no malloc, no stdio, no
// locks other than the crash lock and the action table's sequence counter.
//
// Alternate signal stacks: a stack overflow can only be reported on a thread that has one.
// Go's threads have theirs; jitrun_pthread_create (JIT'd code's pthread_create) and the
// executable's pthread_create (which precompiled libraries, libstdc++'s std::thread among
// them, bind to: the executable exports it) give every thread they start one, freed when
// the thread exits.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash.h"
#include "realdl.h" // glibc's dlsym: the executable defines its own (dlemu/interpose.c)

#define NSIGS 65

static int is_crash_signal(int s) {
	return s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGTRAP || s == SIGABRT;
}

// A function (not SIG_DFL, SIG_IGN): the kernel looks at the pointer whatever SA_SIGINFO says.
static int is_handler(const struct sigaction *a) {
	return a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
}

static void call_action(const struct sigaction *a, int sig, siginfo_t *si, void *uc) {
	if (a->sa_flags & SA_SIGINFO)
		a->sa_sigaction(sig, si, uc);
	else
		a->sa_handler(sig);
}

// ---- Configuration (not on the signal path) ----------------------------------------------
static uintptr_t go_text, go_etext;
static char *reporter_exe;
static char **reporter_argv; // fixed arguments, then crash_arg, then NULL
static char **reporter_envp;
static char crash_arg[256];
static int installed;

// Dispositions before the Go runtime existed (what a native program starts with).
static struct sigaction initial_actions[NSIGS];

__attribute__((constructor)) static void record_initial_crash_actions(void) {
	for (int s = 1; s < NSIGS; s++)
		if (is_crash_signal(s))
			sigaction(s, 0, &initial_actions[s]);
}

static char *dupstr(const char *s) {
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

int jitrun_crash_configure(const char *exe, char **argv, int argc, char **envp, int envc) {
	char **av = calloc(argc + 2, sizeof *av), **ev = calloc(envc + 1, sizeof *ev);
	char *e = dupstr(exe);
	if (!av || !ev || !e)
		return -1;
	for (int i = 0; i < argc; i++)
		if (!(av[i] = dupstr(argv[i])))
			return -1;
	av[argc] = crash_arg;
	for (int i = 0; i < envc; i++)
		if (!(ev[i] = dupstr(envp[i])))
			return -1;
	reporter_exe = e;
	reporter_argv = av;
	reporter_envp = ev;
	return 0;
}

void jitrun_crash_set_go_text(uintptr_t lo, uintptr_t hi) {
	go_text = lo;
	go_etext = hi;
}

// ---- The program's actions for the crash signals -------------------------------------------
// A sequence lock: writers (sigaction, with every signal blocked) take prog_lock and make
// prog_seq odd while they write; the handler copies an action and retries if prog_seq moved.
static struct sigaction go_actions[NSIGS];   // what the handler chains to for Go's faults
static struct sigaction prog_actions[NSIGS]; // what the program sees and set
static unsigned prog_seq;
static int prog_lock;

static void prog_write_begin(void) {
	while (__atomic_exchange_n(&prog_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_add_fetch(&prog_seq, 1, __ATOMIC_ACQ_REL);
}

static void prog_write_end(void) {
	__atomic_add_fetch(&prog_seq, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&prog_lock, 0, __ATOMIC_RELEASE);
}

static void prog_read(int sig, struct sigaction *out) {
	for (;;) {
		unsigned s = __atomic_load_n(&prog_seq, __ATOMIC_ACQUIRE);
		if (s & 1) {
			sched_yield(); // a writer on another thread
			continue;
		}
		memcpy(out, &prog_actions[sig], sizeof *out);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&prog_seq, __ATOMIC_RELAXED) == s)
			return;
	}
}

int jitrun_crash_sigaction(int sig, const struct sigaction *act, struct sigaction *old, int *ret) {
	if (!__atomic_load_n(&installed, __ATOMIC_ACQUIRE) || sig <= 0 || sig >= NSIGS || !is_crash_signal(sig))
		return 0;
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	prog_write_begin();
	struct sigaction prev = prog_actions[sig];
	if (act)
		prog_actions[sig] = *act;
	prog_write_end();
	pthread_sigmask(SIG_SETMASK, &saved, 0);
	if (old)
		*old = prev;
	*ret = 0;
	return 1;
}

int jitrun_crash_installed(void) { return __atomic_load_n(&installed, __ATOMIC_ACQUIRE); }

// ---- Background debug-file writes ---------------------------------------------------------
static int debug_writes;

void jitrun_debug_write_begin(void) { __atomic_add_fetch(&debug_writes, 1, __ATOMIC_SEQ_CST); }
void jitrun_debug_write_end(void) { __atomic_sub_fetch(&debug_writes, 1, __ATOMIC_SEQ_CST); }
int jitrun_debug_writes_pending(void) { return __atomic_load_n(&debug_writes, __ATOMIC_SEQ_CST); }

// ---- The handler --------------------------------------------------------------------------
static long raw_gettid(void) { return syscall(SYS_gettid); }

static void sleep_ms(long ms) {
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (syscall(SYS_nanosleep, &ts, &ts) < 0 && errno == EINTR)
		;
}

static char *put_hex(char *p, char *end, uint64_t v) {
	char digits[16];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	if (p + 2 + n >= end)
		return p;
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = digits[--n];
	return p;
}

// The reporter's child stack: vfork semantics (CLONE_VM|CLONE_VFORK) without copying the
// page tables of a large process; the child only execs.
static char child_stack[32 * 1024] __attribute__((aligned(64)));

static int child_main(void *arg) {
	(void)arg;
	uint64_t none = 0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
	syscall(SYS_close_range, 3, ~0u, 0);
	syscall(SYS_execve, reporter_exe, reporter_argv, reporter_envp);
	syscall(SYS_exit, 127);
	return 127;
}

static void run_reporter(int sig, siginfo_t *si, ucontext_t *uc, long tid) {
	if (!reporter_exe)
		return;
	char *p = crash_arg, *end = crash_arg + sizeof crash_arg - 1;
	static const char prefix[] = "--crash=";
	memcpy(p, prefix, sizeof prefix - 1);
	p += sizeof prefix - 1;
	uint64_t fields[] = {(uint64_t)getpid(), (uint64_t)tid, (uint64_t)sig, (uint64_t)(uint32_t)si->si_code,
	                     (uint64_t)(uintptr_t)si->si_addr, (uint64_t)uc->uc_mcontext.gregs[REG_RIP],
	                     (uint64_t)(uintptr_t)si, (uint64_t)(uintptr_t)uc};
	for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (i)
			*p++ = ':';
		p = put_hex(p, end, fields[i]);
	}
	*p = 0;
	pid_t pid = clone(child_main, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK, 0);
	if (pid <= 0)
		return;
	prctl(PR_SET_PTRACER, pid, 0, 0, 0); // Yama: the reporter, a child, may trace its parent
	int st;
	while (syscall(SYS_wait4, pid, &st, __WALL, 0) < 0 && errno == EINTR)
		;
}

// Ends the process with sig as the native program would end.
static void die(int sig, siginfo_t *si, ucontext_t *uc, long tid) {
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, 0);
	sigdelset(&uc->uc_sigmask, sig); // (the kernel's mask is the first word: sig < 64)
	if (si->si_code > 0 && sig != SIGTRAP && sig != SIGABRT)
		return; // the faulting instruction runs again and the kernel delivers sig itself
	syscall(SYS_tgkill, getpid(), tid, sig); // pending until the handler returns
}

static long crash_tid;

// Where the program's own handler for a crash signal was called on this thread (its stack
// pointer), while it runs; 0 otherwise (a handler left with siglongjmp leaves it set, which
// only matters to a signal sent from deeper on the same stack).
static __thread uintptr_t handler_sp __attribute__((tls_model("initial-exec")));
// A signal the program's handler raised while it was blocked (pending when it returned).
static __thread int handler_raised __attribute__((tls_model("initial-exec")));

// reraised reports whether a signal was sent (raise, kill) from inside the program's own
// crash handler on this thread: the program handled the crash itself (a crash reporter of its
// own, such as CPython's faulthandler, restoring SIG_DFL and raising the signal again, or a
// handler calling abort) and the process ends natively, with nothing more on stderr.
static int reraised(int sig, ucontext_t *uc, int sent) {
	uintptr_t sp = uc->uc_mcontext.gregs[REG_RSP];
	int raised = handler_raised == sig;
	handler_raised = 0;
	return sent && (raised || (handler_sp && sp < handler_sp && handler_sp - sp < (1u << 20)));
}

static void crash(int sig, siginfo_t *si, ucontext_t *uc) {
	long tid = raw_gettid();
	if (reraised(sig, uc, si->si_code <= 0)) {
		die(sig, si, uc, tid);
		return;
	}
	long prev = 0;
	if (!__atomic_compare_exchange_n(&crash_tid, &prev, tid, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (prev == tid) { // a crash while reporting one: just die
			die(sig, si, uc, tid);
			return;
		}
		for (;;) // another thread is reporting; the process ends with its signal
			sleep_ms(1000);
	}
	// The reporter finds file:line in the debug files: give a write under way time to end.
	for (int i = 0; reporter_exe && i < 400 && jitrun_debug_writes_pending() > 0; i++)
		sleep_ms(5);
	run_reporter(sig, si, uc, tid);
	die(sig, si, uc, tid);
}

static void run_program_handler(const struct sigaction *pa, int sig, siginfo_t *si, ucontext_t *uc) {
	// The mask the kernel would have set: the interrupted one, the action's, and the signal
	// itself unless SA_NODEFER. (Only the first word of uc_sigmask is the kernel's.)
	sigset_t m;
	sigemptyset(&m);
	memcpy(&m, &uc->uc_sigmask, 8);
	sigorset(&m, &m, &pa->sa_mask);
	if (!(pa->sa_flags & SA_NODEFER))
		sigaddset(&m, sig);
	if (pa->sa_flags & SA_RESETHAND) { // as the kernel: the handler only (flags stay)
		prog_write_begin();
		prog_actions[sig].sa_handler = SIG_DFL;
		prog_write_end();
	}
	handler_raised = 0;
	pthread_sigmask(SIG_SETMASK, &m, 0);
	uintptr_t outer = handler_sp;
	handler_sp = (uintptr_t)__builtin_frame_address(0);
	call_action(pa, sig, si, uc);
	handler_sp = outer;
	sigset_t pending;
	if (sigpending(&pending) == 0 && sigismember(&pending, sig))
		handler_raised = sig; // delivered when this returns (the handler's mask blocked it)
	// Returning restores the interrupted mask (sigreturn).
}

// ---- The program's threads ----------------------------------------------------------------
static __thread int program_thread;
static int program_running;

void jitrun_program_thread(void) {
	program_thread = 1;
	__atomic_store_n(&program_running, 1, __ATOMIC_RELEASE);
}

static void crash_handler(int sig, siginfo_t *si, void *ucv) {
	ucontext_t *uc = ucv;
	int saved_errno = errno;
	uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
	int sent = si->si_code <= 0; // kill, tkill, raise, sigqueue: not a fault
	if ((si->si_code == SI_USER || si->si_code == SI_QUEUE) && !program_thread &&
	    __atomic_load_n(&program_running, __ATOMIC_ACQUIRE)) {
		// Sent to the process (kill, sigqueue) and taken by one of jitrun's own threads (a
		// Go runtime thread unblocking signals as it starts another): natively only the
		// program's threads are there to take it. This thread stops taking it (the mask
		// sigreturn restores) and it goes to the process again; kill makes jitrun's pid the
		// sender's, sigqueue keeps the sender and value.
		sigaddset(&uc->uc_sigmask, sig);
		if (si->si_code == SI_QUEUE)
			syscall(SYS_rt_sigqueueinfo, getpid(), sig, si);
		else
			kill(getpid(), sig);
		errno = saved_errno;
		return;
	}
	if (!sent && sig != SIGABRT && pc >= go_text && pc < go_etext && is_handler(&go_actions[sig])) {
		call_action(&go_actions[sig], sig, si, ucv); // Go's fault: Go's handler, as is
		errno = saved_errno;
		return;
	}
	struct sigaction pa;
	prog_read(sig, &pa);
	if (is_handler(&pa)) {
		run_program_handler(&pa, sig, si, uc);
	} else if (!(pa.sa_handler == SIG_IGN && sent)) {
		crash(sig, si, uc);
	}
	errno = saved_errno;
}

void jitrun_crash_install(void) {
	if (installed)
		return;
	for (int s = 1; s < NSIGS; s++) {
		if (!is_crash_signal(s))
			continue;
		// The program starts with the dispositions a native process would have had.
		prog_actions[s] = initial_actions[s];
		if (is_handler(&prog_actions[s])) { // (cannot be: exec resets handlers)
			memset(&prog_actions[s], 0, sizeof prog_actions[s]);
			prog_actions[s].sa_handler = SIG_DFL;
		}
	}
	__atomic_store_n(&installed, 1, __ATOMIC_RELEASE);
	for (int s = 1; s < NSIGS; s++) {
		if (!is_crash_signal(s))
			continue;
		struct sigaction a;
		memset(&a, 0, sizeof a);
		a.sa_sigaction = crash_handler;
		a.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
		sigfillset(&a.sa_mask);
		sigaction(s, &a, &go_actions[s]);
	}
}

// ---- Alternate signal stacks for threads that can run JIT'd code --------------------------
#define ALTSTACK_SIZE (64 * 1024)

static pthread_key_t altstack_key;
static pthread_once_t altstack_once = PTHREAD_ONCE_INIT;
static long page_size;

static void altstack_free(void *base) {
	stack_t cur;
	if (sigaltstack(0, &cur) == 0 && cur.ss_sp == (char *)base + page_size) {
		stack_t off;
		memset(&off, 0, sizeof off);
		off.ss_flags = SS_DISABLE;
		sigaltstack(&off, 0);
	}
	munmap(base, ALTSTACK_SIZE + page_size);
}

static void altstack_init(void) {
	page_size = sysconf(_SC_PAGESIZE);
	pthread_key_create(&altstack_key, altstack_free);
}

void jitrun_thread_altstack(void) {
	stack_t cur;
	if (sigaltstack(0, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
		return;
	pthread_once(&altstack_once, altstack_init);
	char *base = mmap(0, ALTSTACK_SIZE + page_size, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return;
	mprotect(base, page_size, PROT_NONE); // guard page below
	stack_t ss;
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = base + page_size;
	ss.ss_size = ALTSTACK_SIZE;
	if (sigaltstack(&ss, 0) != 0 || pthread_setspecific(altstack_key, base) != 0) {
		munmap(base, ALTSTACK_SIZE + page_size);
		return;
	}
}

struct thread_start {
	void *(*fn)(void *);
	void *arg;
};

static void *thread_trampoline(void *p) {
	struct thread_start s = *(struct thread_start *)p;
	free(p);
	program_thread = 1;
	jitrun_thread_altstack();
	return s.fn(s.arg);
}

typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
static pthread_create_fn real_create;

static pthread_create_fn real_pthread_create(void) {
	pthread_create_fn f = __atomic_load_n(&real_create, __ATOMIC_ACQUIRE);
	if (!f) {
		f = (pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
		__atomic_store_n(&real_create, f, __ATOMIC_RELEASE);
	}
	return f;
}

__attribute__((constructor)) static void resolve_pthread_create(void) { real_pthread_create(); }

int jitrun_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
	pthread_create_fn create = real_pthread_create();
	if (!create)
		return EAGAIN;
	struct thread_start *s = malloc(sizeof *s);
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	int r = create(thread, attr, thread_trampoline, s);
	if (r != 0)
		free(s);
	return r;
}

// The executable's pthread_create, exported (-rdynamic): precompiled libraries bind to it
// before libc's. The Go runtime's own thread creation (runtime/cgo, in the executable)
// reaches it too and goes straight to libc's: Go gives its threads signal stacks itself.
extern char __executable_start[], etext[];

__attribute__((visibility("default"))) int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                                                          void *(*fn)(void *), void *arg) {
	uintptr_t ra = (uintptr_t)__builtin_return_address(0);
	if (ra >= (uintptr_t)__executable_start && ra < (uintptr_t)etext) {
		pthread_create_fn create = real_pthread_create();
		return create ? create(thread, attr, fn, arg) : EAGAIN;
	}
	return jitrun_pthread_create(thread, attr, fn, arg);
}
