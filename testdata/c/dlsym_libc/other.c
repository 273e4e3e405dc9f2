#include <stdio.h>
void *other_puts(void) { return (void *)&puts; }
