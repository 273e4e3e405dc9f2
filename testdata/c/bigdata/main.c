#include <stdio.h>

#define N (1 << 20)
int big_data[N] = {1, 2, 3, [N / 2] = 5, [N - 1] = 7};
extern long other_data[];
extern const int other_rodata[];
long checksum_other(void);

int main(void)
{
	long s = 0;
	for (int i = 0; i < N; i++)
		s += big_data[i];
	printf("big_data sum=%ld (expect 18)\n", s);
	big_data[100] = 10;
	s = 0;
	for (int i = 0; i < N; i += 50)
		s += big_data[i];
	printf("after write sum=%ld\n", s);
	printf("other_data[0]=%ld other_data[last]=%ld checksum=%ld\n", other_data[0], other_data[(1 << 19) - 1], checksum_other());
	printf("other_rodata[12345]=%d\n", other_rodata[12345]);
	return 0;
}
