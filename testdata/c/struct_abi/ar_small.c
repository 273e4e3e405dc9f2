#include "types.h"
struct small make_small(int a, int b) { return (struct small){a * 10, b * 10}; }
struct two swap_two(struct two t) { return (struct two){t.y, t.x}; }
struct fmix scale_fmix(struct fmix f, double k) { return (struct fmix){f.d * k, f.i * (int)k}; }
struct floats add_floats(struct floats p, struct floats q) { return (struct floats){p.a + q.a, p.b + q.b, p.c + q.c}; }
