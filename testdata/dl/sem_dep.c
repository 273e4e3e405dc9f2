/* A dependency of sem_plug (linked with -lsem_dep): initialised first, finalised last. */
#include <stdio.h>
__attribute__((constructor)) static void dep_init(void) { printf("dep init\n"); }
__attribute__((destructor)) static void dep_fini(void) { printf("dep fini\n"); }
int dep_value(void) { return 40; }
const char *layer(void) { return "dep"; }
