/* Built into libshlib_tlsso.so (-fPIC): TLS defined in a precompiled shared library. */
#include <string.h>
__thread int so_counter = 100;
__thread char so_name[16] = "libtls";
__thread long so_bss[64];
static __thread int so_private = 7;

int *so_counter_addr(void) { return &so_counter; }
int so_bump(int by)
{
	so_counter += by;
	so_private += by;
	so_bss[63] += by;
	return so_counter + so_private;
}
int so_private_value(void) { return so_private; }
const char *so_get_name(void) { return so_name; }

/* Callback into the program with a pointer to the library's TLS. */
int so_visit(int (*cb)(int *)) { return cb(&so_counter); }
