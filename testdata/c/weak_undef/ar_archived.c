#include <stdio.h>
int archived_fn(void) { return 1; }
__attribute__((constructor)) static void ctor(void) { puts("ERROR: ar_archived.o was linked"); }
