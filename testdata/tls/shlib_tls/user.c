/* Uses the library's TLS with the model of the build mode: initial-exec from PIE and
 * non-PIC executables, general dynamic or TLS descriptors with -fPIC. */
#include <string.h>
extern __thread int so_counter;
extern __thread char so_name[16];
extern __thread long so_bss[64];

int user_read(void) { return so_counter; }
void user_write(int v) { so_counter = v; }
int user_name_ok(void) { return strcmp(so_name, "libtls") == 0; }
long user_bss(void) { return so_bss[63]; }
void *user_addr(void) { return &so_counter; }
