#include <stdio.h>

unsigned long long mix(unsigned long long x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	return x ^ (x >> 33);
}

int bits_report(unsigned long long x, char *out, int n)
{
	int pc = __builtin_popcountll(x);
	int pc32 = __builtin_popcount((unsigned)x);
	int clz = x ? __builtin_clzll(x) : 64;
	int ctz = x ? __builtin_ctzll(x) : 64;
	int clrsb = __builtin_clrsbll((long long)x);
	return snprintf(out, n, "popcount=%d popcount32=%d clz=%d ctz=%d clrsb=%d parity=%d", pc, pc32, clz, ctz, clrsb,
			__builtin_parityll(x));
}
