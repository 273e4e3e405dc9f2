/* 300 KB of thread-local data (local-exec in executables): larger than glibc's static
 * TLS surplus, so a JIT loader must make room for it (jitrun re-executes itself with a
 * larger surplus). Half initialised (.tdata), half zero (.tbss). */
__thread unsigned char big_data[150 * 1024] = {1, 2, 3, [150 * 1024 - 1] = 0xee};
__thread unsigned char big_zero[150 * 1024] __attribute__((aligned(64)));

unsigned long big_sum(void)
{
	unsigned long s = 0;
	for (int i = 0; i < 150 * 1024; i++)
		s += big_data[i] * 3u + big_zero[i];
	return s;
}

void big_fill(unsigned char v)
{
	for (int i = 0; i < 150 * 1024; i++)
		big_data[i] = big_zero[i] = v;
}
