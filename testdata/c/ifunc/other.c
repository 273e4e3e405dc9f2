int compute(int);
long tc_sum(const int *, int);
typedef void (*anyfn)(void);
anyfn other_compute_addr(void) { return (anyfn)&compute; }
anyfn other_tc_addr(void) { return (anyfn)&tc_sum; }
int other_call(int x) { return compute(x); }
