#include "tls.h"
#include <string.h>

__thread int o_plain = 1001;
__thread long o_bss;
__thread char o_name[24] = "other.c";
__thread int o_gd GD = 2002;
__thread int o_ie IE = 3003;
static __thread int o_static_ld LD = 4004;
static __thread long o_static_arr[4] = {1, 2, 3, 4};

void *other_addr(int which)
{
	switch (which) {
	case 0: return &o_plain;
	case 1: return &o_bss;
	case 2: return o_name;
	case 3: return &o_gd;
	default: return &o_ie;
	}
}

long other_bump(int by)
{
	o_plain += by;
	o_bss += by;
	o_gd += by;
	o_ie += by;
	o_static_ld += by;
	for (int i = 0; i < 4; i++)
		o_static_arr[i] *= by;
	o_name[0] = (char)('A' + by % 26);
	return other_sum();
}

long other_sum(void)
{
	long s = o_plain + o_bss + o_gd + o_ie + o_static_ld + (long)strlen(o_name) * 1000000 + o_name[0];
	for (int i = 0; i < 4; i++)
		s += o_static_arr[i];
	return s;
}
