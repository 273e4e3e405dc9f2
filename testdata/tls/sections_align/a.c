#include "defs.h"
#include <string.h>
__thread char a_small = 7;                                   /* .tdata, align 1 */
__thread long a_words[3] = {1, 2, 3};                         /* .tdata, align 8 */
__thread char a_line[64] __attribute__((aligned(64))) = "a-line"; /* .tdata, align 64 */
__thread char a_zero64[200] __attribute__((aligned(64)));         /* .tbss, align 64 */
__thread int a_zero;                                          /* .tbss, align 4 */
void scribble_a(int v) { a_small = (char)v; a_words[2] = v; memset(a_line, v, 64); memset(a_zero64, v, 200); a_zero = v; }
void check_a(struct obj_report *r)
{
	r->name = "a";
	r->ok = 1;
	r->mis = 0;
	r->ok &= a_small == 7 && a_words[0] == 1 && a_words[2] == 3 && strcmp(a_line, "a-line") == 0 && a_zero == 0;
	for (int i = 0; i < 200; i++)
		r->ok &= a_zero64[i] == 0;
	r->mis |= ((uintptr_t)a_words & 7) | ((uintptr_t)a_line & 63) | ((uintptr_t)a_zero64 & 63) | ((uintptr_t)&a_zero & 3);
	r->aligned = r->mis == 0;
}
