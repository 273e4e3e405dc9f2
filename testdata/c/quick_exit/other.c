#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void q2(void) { write(1, "at_quick_exit handler 2 (runs first)\n", 37); }
void register_quick(void) { at_quick_exit(q2); }
