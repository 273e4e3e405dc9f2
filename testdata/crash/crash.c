/* Crash test program for jitrun's crash reports (e2e/crash_test.go): argv[1] says how to
 * crash. Each crash site is a named, non-inlined function (or a function inlined into one)
 * and carries a CRASH:<mode> marker on its line, which the test looks up to check the
 * reported file:line. Built with -g -O2. */
#define _GNU_SOURCE
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

volatile int sink;
int *volatile null_ptr;

/* segv: a write through NULL in a function inlined into store_value. */
static inline void store_at(int *p, int v) {
	*p = v; /* CRASH:segv */
}

__attribute__((noinline)) void store_value(int *p, int v) {
	store_at(p, v);
	sink++;
}

/* thread: the same fault on a thread the program starts. */
__attribute__((noinline)) void thread_fault(void) {
	*null_ptr = 42; /* CRASH:thread */
	sink++;
}

static void *worker(void *arg) {
	(void)arg;
	thread_fault();
	return 0;
}

/* abort and assert. */
__attribute__((noinline)) void check_invariant(int x) {
	assert(x > 0); /* CRASH:assert */
	sink += x;
}

__attribute__((noinline)) void give_up(void) {
	abort(); /* CRASH:abort */
}

/* overflow: unbounded recursion (a frame with a buffer, so it is not a loop). */
__attribute__((noinline)) int recurse(int n) {
	volatile char buf[64];
	buf[n % 64] = (char)n;
	return recurse(n + 1) + buf[0]; /* CRASH:overflow */
}

static void *overflow_worker(void *arg) {
	(void)arg;
	sink = recurse(0);
	return 0;
}

/* qsort: a comparator that faults, called back from libc. */
static int bad_compare(const void *a, const void *b) {
	int x = *(const int *)a, y = *(const int *)b;
	if (x == 3)
		return *null_ptr; /* CRASH:qsort */
	return (x > y) - (x < y);
}

/* fpe, ill, trap, bus. */
__attribute__((noinline)) int divide(int a, int b) {
	return a / b; /* CRASH:fpe */
}

__attribute__((noinline)) void illegal(void) {
	__builtin_trap(); /* CRASH:ill */
}

__attribute__((noinline)) void breakpoint(void) {
	__asm__ volatile("int3"); /* CRASH:trap */
	sink++;
}

__attribute__((noinline)) void bus_error(void) {
	FILE *f = tmpfile();
	if (!f)
		exit(3);
	volatile char *p = mmap(0, 4096, PROT_READ, MAP_SHARED, fileno(f), 0);
	if (p == MAP_FAILED)
		exit(3);
	sink = p[0]; /* CRASH:bus */
}

/* handler: a fault in a signal handler (the backtrace goes through the signal frame). */
static void on_signal(int sig) {
	*null_ptr = sig; /* CRASH:handler */
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "segv";
	printf("crash mode %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "segv")) {
		store_value(null_ptr, 7);
	} else if (!strcmp(mode, "thread") || !strcmp(mode, "thread-overflow")) {
		pthread_t t;
		if (pthread_create(&t, 0, mode[6] ? overflow_worker : worker, 0) != 0)
			return 2;
		pthread_join(t, 0);
	} else if (!strcmp(mode, "assert")) {
		check_invariant(argc - 3);
	} else if (!strcmp(mode, "abort")) {
		give_up();
	} else if (!strcmp(mode, "overflow")) {
		sink = recurse(0);
	} else if (!strcmp(mode, "qsort")) {
		int v[] = {5, 1, 4, 3, 2, 9, 8};
		qsort(v, sizeof v / sizeof v[0], sizeof v[0], bad_compare);
		sink = v[0];
	} else if (!strcmp(mode, "fpe")) {
		sink = divide(argc, argc - 2);
	} else if (!strcmp(mode, "ill")) {
		illegal();
	} else if (!strcmp(mode, "trap")) {
		breakpoint();
	} else if (!strcmp(mode, "bus")) {
		bus_error();
	} else if (!strcmp(mode, "handler")) {
		signal(SIGUSR1, on_signal);
		raise(SIGUSR1);
	} else if (!strcmp(mode, "kill")) {
		kill(getpid(), SIGSEGV);
		sleep(5);
	} else if (!strcmp(mode, "kill-blocked")) {
		/* Sent to the process while its only thread blocks it: it stays pending (jitrun's
		   own threads must not take it) until unblocked, then this thread takes it. */
		sigset_t segv;
		sigemptyset(&segv);
		sigaddset(&segv, SIGSEGV);
		sigprocmask(SIG_BLOCK, &segv, 0);
		kill(getpid(), SIGSEGV);
		usleep(200 * 1000);
		sigprocmask(SIG_UNBLOCK, &segv, 0);
		sleep(5);
	} else {
		return 2;
	}
	printf("survived\n");
	return 0;
}
