// Self-contained code (no library calls) for debuginfo's unit tests.
static int table[4] = {3, 1, 4, 1};
int counter;

__attribute__((noinline)) int leaf(int x) {
	int local = x * 7;
	counter += local;
	return local + table[x & 3];
}

static inline int middle(int n) { return leaf(n + 1) * 2; }

int outer(int n) { return middle(n) + 1; }
