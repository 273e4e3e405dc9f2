#include <stdio.h>

typedef __int128 i128;
typedef unsigned __int128 u128;
const char *fmt_u128(u128 v);
const char *fmt_i128(i128 v);

static volatile u128 vu = ((u128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
static volatile i128 vi = -(((i128)1 << 100) + 12345);
static volatile unsigned long long small = 1000000007ULL;

int main(void)
{
	u128 a = vu, b = small;
	i128 c = vi;
	printf("a       = %s\n", fmt_u128(a));
	printf("a*b     = %s\n", fmt_u128(a * b));
	printf("a/b     = %s\n", fmt_u128(a / b));
	printf("a%%b     = %s\n", fmt_u128(a % b));
	printf("c       = %s\n", fmt_i128(c));
	printf("c/7     = %s\n", fmt_i128(c / (i128)(small % 10)));
	printf("c%%1e9+7 = %s\n", fmt_i128(c % (i128)small));
	printf("c*c>>64 = %s\n", fmt_u128((u128)(c * c) >> 64));
	printf("(double)a = %.6e  (double)c = %.6e\n", (double)a, (double)c);
	double d = 1.5e30;
	printf("(u128)1.5e30 = %s\n", fmt_u128((u128)d));
	printf("clz/ctz: %d %d\n", __builtin_clzll((unsigned long long)(a >> 64)), __builtin_ctzll((unsigned long long)a));
	return 0;
}
