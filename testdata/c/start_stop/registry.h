struct entry {
	const char *name;
	long prio;
	int (*fn)(int);
};
#define REGISTER(n, p, f)                                                                              \
	__attribute__((section("jr_registry"), used, aligned(8))) static const struct entry reg_##n = {#n, p, f}
