#include <stdio.h>
#include <string.h>

void *old_memcpy(void *, const void *, size_t);
__asm__(".symver old_memcpy, memcpy@GLIBC_2.2.5");
void other_symver(char *dst);

int main(void)
{
	char buf[32] = "0123456789";
	/* memcpy@GLIBC_2.2.5 is the old memmove-compatible memcpy */
	old_memcpy(buf + 2, buf, 6);
	printf("overlapping old memcpy: %s\n", buf);
	char dst[16];
	old_memcpy(dst, "versioned", 10);
	printf("%s\n", dst);
	other_symver(dst);
	printf("%s\n", dst);
	return 0;
}
