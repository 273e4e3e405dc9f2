/* A program with a crash handler of its own (as CPython's faulthandler, Breakpad, ...): on
 * SIGSEGV it prints its own message, restores SIG_DFL and raises the signal again; on
 * SIGFPE it calls abort. Natively nothing else is printed: under jitrun neither (the
 * program handled the crash), and the process dies by the same signal. Built with -g -O2. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int *volatile null_ptr;
volatile int sink;

static void on_crash(int sig) {
	static const char msg[] = "own handler: fatal signal, dumping our own report\n";
	write(2, msg, sizeof msg - 1);
	if (sig == SIGFPE)
		abort();
	signal(sig, SIG_DFL);
	raise(sig);
}

__attribute__((noinline)) int divide(int a, int b) { return a / b; }

int main(int argc, char **argv) {
	signal(SIGSEGV, on_crash);
	signal(SIGFPE, on_crash);
	if (argc > 1 && !strcmp(argv[1], "fpe"))
		sink = divide(argc, argc - 2);
	*null_ptr = 1;
	return 0;
}
