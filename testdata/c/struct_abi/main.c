#include <stdio.h>
#include "types.h"

int main(void)
{
	struct small s = make_small(3, 4);
	printf("small=%d,%d\n", s.a, s.b);
	struct two t = swap_two((struct two){111, 222});
	printf("two=%ld,%ld\n", t.x, t.y);
	struct fmix f = scale_fmix((struct fmix){1.25, 7}, 4);
	printf("fmix=%.3f,%d\n", f.d, f.i);
	struct floats fl = add_floats((struct floats){1, 2, 3}, (struct floats){0.5f, 0.25f, 0.125f});
	printf("floats=%.3f,%.3f,%.3f\n", fl.a, fl.b, fl.c);
	struct big b = make_big("bigtag", 10);
	printf("big tag=%s v7=%ld sum=%ld\n", b.tag, b.v[7], sum_big(b));
	struct ld l = half_ld((struct ld){3.0L});
	printf("ld=%.3Lf\n", l.x);
	struct small r = many_args(1, t, 2.5, b, f, s, 0.5f);
	printf("many_args=%d,%d\n", r.a, r.b);
	return 0;
}
