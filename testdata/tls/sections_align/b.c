#include "defs.h"
#include <string.h>
__thread double b_d = 1.5;                                     /* .tdata, align 8 */
static __thread char b_pad = 1;
__thread char b_page[100] __attribute__((aligned(32))) = {9, 8, 7}; /* .tdata, align 32 */
__thread long b_bss8[5];                                       /* .tbss, align 8 */
void scribble_b(int v) { b_d = v; b_pad = (char)v; b_page[0] = (char)v; b_bss8[4] = v; }
void check_b(struct obj_report *r)
{
	r->name = "b";
	r->ok = 1;
	r->mis = 0;
	r->ok &= b_d == 1.5 && b_pad == 1 && b_page[0] == 9 && b_page[2] == 7 && b_page[99] == 0 && b_bss8[4] == 0;
	r->mis |= ((uintptr_t)&b_d & 7) | ((uintptr_t)b_page & 31) | ((uintptr_t)b_bss8 & 7);
	r->aligned = r->mis == 0;
}
