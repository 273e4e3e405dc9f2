#include <stdio.h>

unsigned long long mix(unsigned long long x);
int bits_report(unsigned long long x, char *out, int n);

static volatile unsigned long long vals[] = {0, 1, 0xff, 0x8000000000000000ULL, 0xdeadbeefcafebabeULL, 12345678901234ULL};

int main(void)
{
	for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		unsigned long long v = vals[i];
		char buf[128];
		bits_report(v, buf, sizeof buf);
		printf("%016llx: %s\n", v, buf);
	}
	unsigned long long x = 1;
	for (int i = 0; i < 20; i++)
		x = mix(x);
	printf("mix chain=%016llx popcount=%d parity=%d\n", x, __builtin_popcountll(x), __builtin_parityll(x));
	unsigned u = (unsigned)vals[4];
	printf("bswap32=%08x bswap64=%016llx rotl=%08x ffs=%d\n", __builtin_bswap32(u), __builtin_bswap64(vals[4]),
	       (u << 5) | (u >> 27), __builtin_ffs((int)vals[2] << 4));
	return 0;
}
