#include <stdio.h>

int compute(int);
long tc_sum(const int *, int);
typedef void (*anyfn)(void);
anyfn other_compute_addr(void);
anyfn other_tc_addr(void);
int other_call(int);
int resolver_calls_ok(void);
int (*compute_ptr_data)(int) = compute;

int main(void)
{
	int v[100];
	for (int i = 0; i < 100; i++)
		v[i] = i - 50;
	printf("compute(5)=%d via data ptr=%d via other=%d\n", compute(5), compute_ptr_data(6), other_call(7));
	printf("&compute equal across objects: %d, data ptr equal: %d\n", (anyfn)&compute == other_compute_addr(),
	       compute_ptr_data == compute);
	printf("tc_sum=%ld\n", tc_sum(v, 100));
	printf("&tc_sum equal across objects: %d\n", (anyfn)&tc_sum == other_tc_addr());
	long (*p)(const int *, int) = (long (*)(const int *, int))other_tc_addr();
	printf("tc_sum via other's pointer=%ld resolver_ok=%d\n", p(v, 10), resolver_calls_ok());
	return 0;
}
