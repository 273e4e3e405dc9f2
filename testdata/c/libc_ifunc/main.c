#include <stdio.h>
#include <string.h>

typedef void (*anyfn)(void);
anyfn get_addr(int i);
extern void *(*const ro_memcpy)(void *, const void *, size_t);

int main(void)
{
	static const anyfn mine[] = {(anyfn)memcpy, (anyfn)strlen, (anyfn)strchr, (anyfn)memset, (anyfn)strcmp, (anyfn)memmove};
	static const char *names[] = {"memcpy", "strlen", "strchr", "memset", "strcmp", "memmove"};
	for (int i = 0; i < 6; i++)
		printf("&%s equal across objects: %d\n", names[i], mine[i] == get_addr(i));
	printf("ro_memcpy equal: %d\n", (anyfn)ro_memcpy == (anyfn)&memcpy);

	char buf[256];
	volatile size_t n = 200;
	memset(buf, 'x', n);
	buf[n] = 0;
	memcpy(buf + 10, "IFUNC", 5);
	printf("strlen=%zu strchr->%.10s\n", strlen(buf), strchr(buf, 'I') ? strchr(buf, 'I') : "null");
	printf("strcmp=%d memcmp=%d\n", strcmp("abc", "abd") < 0, memcmp(buf, buf + 1, 5) == 0);
	size_t (*sl)(const char *) = (size_t (*)(const char *))get_addr(1);
	char *(*sc)(const char *, int) = (char *(*)(const char *, int))get_addr(2);
	printf("via pointers: strlen=%zu strchr offset=%ld\n", sl("hello ifunc"), (long)(sc(buf, 'F') - buf));
	ro_memcpy(buf, "copied!", 8);
	printf("%s\n", buf);
	memmove(buf + 1, buf, 7);
	printf("%.8s\n", buf);
	return 0;
}
