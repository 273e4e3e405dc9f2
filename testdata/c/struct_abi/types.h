struct small { int a, b; };                  /* INTEGER, 8 bytes */
struct two { long x; long y; };              /* two INTEGER regs */
struct fmix { double d; int i; };            /* SSE + INTEGER */
struct floats { float a, b, c; };            /* SSE, SSE */
struct big { long v[8]; char tag[16]; };     /* MEMORY */
struct ld { long double x; };                /* X87 */
struct small make_small(int a, int b);
struct two swap_two(struct two t);
struct fmix scale_fmix(struct fmix f, double k);
struct floats add_floats(struct floats p, struct floats q);
struct big make_big(const char *tag, long base);
long sum_big(struct big b);
struct ld half_ld(struct ld v);
struct small many_args(int a, struct two t, double d, struct big b, struct fmix f, struct small s, float x);
