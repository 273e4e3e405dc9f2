#include <stdio.h>
#include <string.h>

typedef void (*anyfn)(void);
static int (*const tbl_puts)(const char *) = puts;
anyfn ar_puts(void) { return (anyfn)tbl_puts; }
anyfn ar_strlen(void) { return (anyfn)&strlen; }
