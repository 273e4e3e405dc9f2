typedef __int128 i128;
typedef unsigned __int128 u128;

static char buf[4][64];
static int slot;

const char *fmt_u128(u128 v)
{
	char *b = buf[slot++ & 3];
	char tmp[64];
	int n = 0;
	do {
		tmp[n++] = '0' + (int)(v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		b[i] = tmp[n - 1 - i];
	b[n] = 0;
	return b;
}

const char *fmt_i128(i128 v)
{
	if (v >= 0)
		return fmt_u128((u128)v);
	const char *s = fmt_u128((u128)0 - (u128)v);
	char *b = buf[slot++ & 3];
	b[0] = '-';
	for (int i = 0; (b[i + 1] = s[i]); i++)
		;
	return b;
}
