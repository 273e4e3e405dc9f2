/* Opened with RTLD_NODELETE: its finalizer runs at exit, not at dlclose. */
#include <stdio.h>
__attribute__((destructor)) static void nd_fini(void) { printf("nd fini\n"); }
int nd_fn(void) { return 5; }
