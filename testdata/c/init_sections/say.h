#include <string.h>
#include <unistd.h>
static inline void say(const char *s)
{
	write(1, s, strlen(s));
	write(1, "\n", 1);
}
#define ENTRY(sec, fn) __attribute__((section(sec), used)) static void (*fn##_ptr)(void) = fn
