#include <stdio.h>
#include <string.h>

#define MiB (1UL << 20)
static char big64[64 * MiB];
extern char big100[100 * MiB];
unsigned long touch_big100(unsigned long stride);

int main(void)
{
	unsigned long nonzero = 0, sum = 0;
	for (unsigned long i = 0; i < sizeof big64; i += MiB / 2)
		nonzero += big64[i] != 0;
	for (unsigned long i = 0; i < sizeof big64; i += 4 * MiB)
		big64[i] = (char)(i / MiB);
	big64[sizeof big64 - 1] = 7;
	for (unsigned long i = 0; i < sizeof big64; i += 4 * MiB)
		sum += (unsigned char)big64[i];
	printf("big64: %lu MiB, initially nonzero samples=%lu, sum=%lu, last=%d\n", sizeof big64 / MiB, nonzero, sum,
	       big64[sizeof big64 - 1]);
	printf("big100: sum=%lu\n", touch_big100(3 * MiB));
	printf("big100 last byte=%d\n", big100[100 * MiB - 1]);
	return 0;
}
