#define MiB (1UL << 20)
char big100[100 * MiB];
static long small_after[16];

unsigned long touch_big100(unsigned long stride)
{
	unsigned long sum = 0;
	for (unsigned long i = 0; i < sizeof big100; i += stride) {
		if (big100[i] != 0)
			return 999999;
		big100[i] = 1 + (i / stride) % 100;
	}
	big100[sizeof big100 - 1] = 9;
	for (unsigned long i = 0; i < sizeof big100; i += stride)
		sum += big100[i];
	small_after[15] = (long)sum;
	return (unsigned long)small_after[15];
}
