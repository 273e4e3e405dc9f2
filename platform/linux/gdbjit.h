// The GDB JIT interface (gdbjit.c).
#include <stdint.h>

void *jitrun_gdbjit_register(const void *img, uint64_t size, int copy);
void jitrun_gdbjit_unregister(void *entry);
int jitrun_gdbjit_count(void);
