/* Built as a shared library: undefined references resolved against the program. */
#include <stdio.h>
extern int host_cb(int);
extern int host_data;
int lib_call(int x) { return host_cb(x) + host_data; }
__attribute__((constructor)) static void init(void) { printf("library initializer\n"); }
