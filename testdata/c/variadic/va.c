#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

long sum_ints(int n, ...)
{
	va_list ap;
	long s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

double mixed(const char *types, ...)
{
	va_list ap, copy;
	double s = 0;
	va_start(ap, types);
	va_copy(copy, ap);
	for (const char *t = types; *t; t++) {
		switch (*t) {
		case 'i': s += va_arg(ap, int); break;
		case 'l': s += (double)va_arg(ap, long) / 1e10; break;
		case 'd': s += va_arg(ap, double); break;
		case 'f': s += va_arg(ap, double); break;
		case 'D': s += (double)va_arg(ap, long double); break;
		}
	}
	/* walk again with the copy: first int */
	s += va_arg(copy, int) * 1000;
	va_end(copy);
	va_end(ap);
	return s;
}

char *fmt_alloc(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *buf = malloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, n + 1, fmt, ap);
	va_end(ap);
	return buf;
}

struct pair { int a; double b; };
int sum_pairs(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	while (n--) {
		struct pair p = va_arg(ap, struct pair);
		s += p.a + p.b;
	}
	va_end(ap);
	return (int)(s * 10);
}

void logmsg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	FILE *f = level >= 3 ? stderr : stdout;
	fprintf(f, "[%d] ", level);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	va_end(ap);
}
