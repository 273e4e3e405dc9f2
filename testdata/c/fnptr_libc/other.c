#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*anyfn)(void);
anyfn other_puts(void) { return (anyfn)&puts; }
anyfn other_strlen(void) { return (anyfn)&strlen; }
anyfn other_memcpy(void) { return (anyfn)&memcpy; }
anyfn other_printf(void) { return (anyfn)&printf; }
anyfn other_qsort(void) { return (anyfn)&qsort; }
/* libc function addresses stored in writable data (R_X86_64_64 / GLOB_DAT) */
size_t (*data_strlen)(const char *) = strlen;
