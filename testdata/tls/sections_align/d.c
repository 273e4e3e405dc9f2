#include "defs.h"
#include <string.h>
__thread short d_data_only[5] __attribute__((aligned(16))) = {5, 4, 3, 2, 1}; /* only .tdata */
__thread long double d_ld = 3.25L;                              /* align 16 */
void scribble_d(int v) { d_data_only[0] = (short)v; d_ld = v; }
void check_d(struct obj_report *r)
{
	r->name = "d";
	r->ok = 1;
	r->mis = 0;
	r->ok &= d_data_only[0] == 5 && d_data_only[4] == 1 && d_ld == 3.25L;
	r->mis |= ((uintptr_t)d_data_only & 15) | ((uintptr_t)&d_ld & 15);
	r->aligned = r->mis == 0;
}
