/* libm's signgam reached directly: a copy relocation that libm must share. */
#include <math.h>
#include <stdio.h>
extern int signgam;
int main(void) {
	double v = lgamma(-0.5);
	printf("%.4f %d\n", v, signgam);
	signgam = 5;
	lgamma(2.5);
	printf("%d\n", signgam);
	return 0;
}
