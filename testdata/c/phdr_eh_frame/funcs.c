int leaf_add(int a, int b) { return a + b; }

long other_object_loop(long n) {
	long s = 0;
	for (long i = 0; i < n; i++)
		s += i * i;
	return s;
}
