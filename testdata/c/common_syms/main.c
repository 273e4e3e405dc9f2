#include <stdint.h>
#include <stdio.h>

int shared_counter;                          /* tentative: COMMON */
char common_buf[16];                         /* COMMON, smaller than in b.c */
double aligned_common __attribute__((aligned(64)));
extern int initialized_elsewhere;
void a_bump(void);
void b_bump(void);
int b_buf_sum(void);

int main(void)
{
	printf("initial shared_counter=%d initialized_elsewhere=%d\n", shared_counter, initialized_elsewhere);
	a_bump();
	b_bump();
	b_bump();
	shared_counter += 100;
	printf("shared_counter=%d\n", shared_counter);
	common_buf[0] = 1;
	printf("b_buf_sum=%d\n", b_buf_sum());
	printf("aligned_common 64-aligned: %s\n", ((uintptr_t)&aligned_common % 64) == 0 ? "yes" : "no");
	return 0;
}
