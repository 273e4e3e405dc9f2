#include <string.h>
#include "types.h"
struct big make_big(const char *tag, long base)
{
	struct big b;
	for (int i = 0; i < 8; i++)
		b.v[i] = base + i;
	strncpy(b.tag, tag, sizeof b.tag);
	return b;
}
long sum_big(struct big b)
{
	long s = 0;
	for (int i = 0; i < 8; i++)
		s += b.v[i];
	return s;
}
struct ld half_ld(struct ld v) { return (struct ld){v.x / 2}; }
struct small many_args(int a, struct two t, double d, struct big b, struct fmix f, struct small s, float x)
{
	return (struct small){(int)(a + t.x + d + b.v[0] + f.i + s.a), (int)(x * 10 + t.y + f.d + b.tag[0])};
}
