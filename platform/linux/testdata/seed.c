/* Seed input for FuzzReadObject and FuzzReadSharedLib; rebuild with gen.sh. */
extern int ext_var;
extern int ext_func(int);
static int counter;
int seed_data = 42;
int seed_bss[4];
const char seed_msg[] = "seed";
__attribute__((weak)) int seed_weak(int x) { return x + 1; }
int seed_func(int x) { counter += x; return ext_func(x) + ext_var + seed_weak(x) + seed_msg[x & 3] + seed_bss[x & 3]; }
int *seed_addr(void) { return &seed_data; }
__attribute__((constructor(101))) static void seed_ctor(void) { counter = 1; }
