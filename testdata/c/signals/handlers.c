#include <signal.h>
#include <stdio.h>
#include <string.h>

volatile sig_atomic_t usr1_count, alrm_count, last_signo, last_code_user;

static void info_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (sig == SIGUSR1)
		usr1_count++;
	last_signo = si->si_signo;
	last_code_user = si->si_code == SI_USER || si->si_code == SI_TKILL;
}

static void plain_handler(int sig)
{
	if (sig == SIGALRM)
		alrm_count++;
}

void install(int sig, int siginfo)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	if (siginfo) {
		sa.sa_sigaction = info_handler;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
	} else {
		sa.sa_handler = plain_handler;
	}
	if (sigaction(sig, &sa, NULL) != 0)
		perror("sigaction");
}
