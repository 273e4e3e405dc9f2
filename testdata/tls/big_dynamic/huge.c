/* 8 MB of thread-local storage reached only through dynamic models (compiled -fPIC:
 * general dynamic, TLS descriptors in the tlsdesc mode). A JIT loader can give such a
 * module dynamic TLS (allocated by __tls_get_addr on first use in each thread) instead
 * of static TLS. */
#define MB (1024 * 1024)
__thread unsigned char huge_zero[8 * MB - 4096] __attribute__((aligned(4096)));
__thread unsigned char huge_init[4096] = {42, [4095] = 24};

unsigned long huge_touch(unsigned step, unsigned char v)
{
	unsigned long s = 0;
	for (unsigned i = 0; i < sizeof huge_zero; i += step) {
		s += huge_zero[i];
		huge_zero[i] = v;
	}
	return s + huge_init[0] + huge_init[4095];
}

int huge_aligned(void) { return ((unsigned long)huge_zero & 4095) == 0; }
