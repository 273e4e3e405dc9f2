#include <string.h>

typedef void (*anyfn)(void);
void *(*const ro_memcpy)(void *, const void *, size_t) = memcpy;

anyfn get_addr(int i)
{
	switch (i) {
	case 0: return (anyfn)&memcpy;
	case 1: return (anyfn)&strlen;
	case 2: return (anyfn)&strchr;
	case 3: return (anyfn)&memset;
	case 4: return (anyfn)&strcmp;
	default: return (anyfn)&memmove;
	}
}
