#include <setjmp.h>

static jmp_buf perr;

static int digit(char c)
{
	if (c < '0' || c > '9')
		longjmp(perr, 1);
	return c - '0';
}

static int number(const char *s)
{
	int v = 0;
	if (!*s)
		longjmp(perr, 2);
	for (; *s; s++) {
		v = v * 10 + digit(*s);
		if (v > 9999)
			longjmp(perr, 3);
	}
	return v;
}

int try_parse(const char *s, int *out)
{
	int e = setjmp(perr);
	if (e)
		return -e;
	*out = number(s);
	return 1;
}
