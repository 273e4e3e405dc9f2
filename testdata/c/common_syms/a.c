int shared_counter;
char common_buf[16];
double aligned_common __attribute__((aligned(64)));
int initialized_elsewhere; /* common here, real definition in b.c */

void a_bump(void)
{
	shared_counter += 1;
	aligned_common = 1.5;
}
