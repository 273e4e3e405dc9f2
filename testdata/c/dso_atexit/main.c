#include <stdio.h>
#include <stdlib.h>

/* atexit() itself lives in libc_nonshared.a and passes __dso_handle
   (defined in crtbegin.o) to __cxa_atexit. */
extern void *__dso_handle;
int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);
void register_more(void);

static void plain(void) { puts("atexit: plain handler"); }
static void with_arg(void *arg) { printf("__cxa_atexit: handler arg=%s\n", (const char *)arg); }

int main(void)
{
	atexit(plain);
	__cxa_atexit(with_arg, "first", __dso_handle);
	register_more();
	__cxa_atexit(with_arg, "last", &__dso_handle == NULL ? NULL : __dso_handle);
	puts("main returns");
	return 0;
}
