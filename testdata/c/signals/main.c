#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

void install(int sig, int siginfo);
extern volatile sig_atomic_t usr1_count, alrm_count, last_signo, last_code_user;

int main(void)
{
	install(SIGUSR1, 1);
	install(SIGALRM, 0);
	install(SIGUSR2, 1);

	raise(SIGUSR1);
	raise(SIGUSR1);
	printf("after raise: usr1_count=%d last_signo=%s si_code_user=%d\n", (int)usr1_count,
	       last_signo == SIGUSR1 ? "SIGUSR1" : "?", (int)last_code_user);

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	kill(getpid(), SIGUSR2);
	sigset_t pend;
	sigpending(&pend);
	printf("SIGUSR2 pending while blocked: %d, handled yet: %s\n", sigismember(&pend, SIGUSR2),
	       last_signo == SIGUSR2 ? "yes" : "no");
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblock: handled %s\n", last_signo == SIGUSR2 ? "SIGUSR2" : "?");

	sigset_t mask;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	struct itimerval it = {{0, 0}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	sigemptyset(&mask);
	while (alrm_count == 0)
		sigsuspend(&mask);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("SIGALRM via setitimer: alrm_count=%d\n", (int)alrm_count);

	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	printf("ignored SIGUSR1, usr1_count still %d\n", (int)usr1_count);
	printf("strsignal: %s / %s\n", strsignal(SIGUSR1), strsignal(SIGALRM));
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	fprintf(stderr, "raising SIGTERM with default action\n");
	raise(SIGTERM);
	return 0;
}
