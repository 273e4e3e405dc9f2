/* A program that outlives jitrun's start-up by more than the second after which jitrun
   hands the link's garbage back to the kernel (TestLinkGarbageReturned). */
#include <stdio.h>
#include <time.h>

int main(void) {
	struct timespec ts = {1, 800 * 1000 * 1000};
	nanosleep(&ts, 0);
	puts("done");
	return 0;
}
