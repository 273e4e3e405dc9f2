long depth_a(long n, long acc);

long depth_b(long n, long acc)
{
	volatile long local = n;
	if (n == 0)
		return acc;
	return depth_a(n - 1, acc + 2) + (local & 1);
}
