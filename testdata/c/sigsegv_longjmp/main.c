#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

sigjmp_buf recover;
void install_segv(void);
int poke(volatile int *p, int v);

int main(void)
{
	install_segv();
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(recover, 1) == 0) {
			printf("attempt %d: writing through NULL\n", i);
			poke(NULL, i);
			printf("NOT REACHED\n");
		} else {
			printf("attempt %d: recovered from SIGSEGV\n", i);
		}
	}
	int x = 0;
	poke(&x, 42);
	printf("valid poke x=%d\n", x);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));
	return 0;
}
