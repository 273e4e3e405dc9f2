#include <stddef.h>
void *compat_memcpy(void *, const void *, size_t);
__asm__(".symver compat_memcpy, memcpy@GLIBC_2.2.5");

void other_symver(char *dst)
{
	compat_memcpy(dst, "second object", 14);
}
