#include <stdio.h>
int archive_override(void) { return 30; }
__attribute__((constructor)) static void ctor(void) { puts("ERROR: ar_strong.o was linked"); }
