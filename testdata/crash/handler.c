/* A program that handles SIGSEGV (and SIGFPE) itself: its handler must see the fault first,
 * as natively, and jitrun must not report anything. It also checks what sigaction reports
 * as the old action, SA_RESETHAND, SIG_IGN for a raised SIGABRT, and a handler that returns
 * after fixing the fault (mprotect). Built with -g -O2. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t seen_sig, seen_code;
static void *volatile seen_addr;
int *volatile null_ptr;
volatile int sink;

static void on_fault(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	seen_sig = sig;
	seen_code = si->si_code;
	seen_addr = si->si_addr;
	siglongjmp(env, 1);
}

static char *page;
static volatile int fixed;

static void on_write(int sig, siginfo_t *si, void *uc) {
	(void)sig;
	(void)uc;
	if ((char *)si->si_addr < page || (char *)si->si_addr >= page + 4096)
		abort();
	mprotect(page, 4096, PROT_READ | PROT_WRITE); /* fix the fault and return */
	fixed++;
}

static volatile int plain_count;
static void plain(int sig) {
	plain_count++;
	(void)sig;
}

__attribute__((noinline)) int divide(int a, int b) { return a / b; }

int main(int argc, char **argv) {
	(void)argv;
	struct sigaction sa, old;
	/* The initial action, as a native process starts. */
	if (sigaction(SIGSEGV, 0, &old) != 0)
		return 10;
	printf("initial SIGSEGV action: %s\n", old.sa_handler == SIG_DFL ? "SIG_DFL" : "other");

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, 0);
	sigaction(SIGFPE, &sa, 0);
	if (sigaction(SIGSEGV, 0, &old) != 0 || old.sa_sigaction != on_fault || !(old.sa_flags & SA_SIGINFO))
		return 11;
	printf("old action is the program's handler: yes\n");

	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(env, 1) == 0) {
			*null_ptr = i; /* faults */
			return 12;
		}
		printf("recovered from SIGSEGV %d: code %d, addr %p\n", i, seen_sig == SIGSEGV ? (int)seen_code : -1,
		       seen_addr);
	}
	if (sigsetjmp(env, 1) == 0) {
		sink = divide(argc, argc - 1);
		return 13;
	}
	printf("recovered from SIGFPE: code %d\n", (int)seen_code);

	/* A handler that fixes the fault and returns: the instruction runs again. */
	page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sa.sa_sigaction = on_write;
	sigaction(SIGSEGV, &sa, 0);
	page[100] = 7;
	printf("write after the handler fixed the page: %d (fixed %d)\n", page[100], fixed);

	/* SA_RESETHAND: the first raise runs the handler, which resets to SIG_DFL. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGTRAP, &sa, 0);
	raise(SIGTRAP);
	sigaction(SIGTRAP, 0, &old);
	printf("SA_RESETHAND: handler ran %d time(s), now %s\n", plain_count,
	       old.sa_handler == SIG_DFL ? "SIG_DFL" : "still set");

	/* signal() and SIG_IGN for a raised SIGABRT. */
	signal(SIGABRT, SIG_IGN);
	raise(SIGABRT);
	printf("ignored a raised SIGABRT\n");
	void (*prev)(int) = signal(SIGABRT, plain);
	printf("signal() returned the previous action: %s\n", prev == SIG_IGN ? "SIG_IGN" : "other");
	raise(SIGABRT);
	printf("SIGABRT handler ran: %d\n", plain_count);

	/* Back to SIG_DFL: the next fault kills the process by SIGSEGV, as natively. */
	signal(SIGSEGV, SIG_DFL);
	fflush(stdout);
	*null_ptr = 1;
	return 14;
}
