#include <stdarg.h>
#include <stdio.h>

static int count;

void report(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%02d: ", ++count);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}
