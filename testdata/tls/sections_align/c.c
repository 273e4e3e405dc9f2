#include "defs.h"
#include <string.h>
__thread int c_bss_only[33] __attribute__((aligned(64)));  /* only .tbss in this object */
__thread char c_tiny;
void scribble_c(int v) { c_bss_only[32] = v; c_tiny = (char)v; }
void check_c(struct obj_report *r)
{
	r->name = "c";
	r->ok = 1;
	r->mis = 0;
	r->ok &= c_bss_only[0] == 0 && c_bss_only[32] == 0 && c_tiny == 0;
	r->mis |= (uintptr_t)c_bss_only & 63;
	r->aligned = r->mis == 0;
}
