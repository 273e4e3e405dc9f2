#define M (1 << 19)
#define R8(x) x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7
#define R64(x) R8(x), R8(x + 8), R8(x + 16), R8(x + 24), R8(x + 32), R8(x + 40), R8(x + 48), R8(x + 56)
#define R512(x) R64(x), R64(x + 64), R64(x + 128), R64(x + 192), R64(x + 256), R64(x + 320), R64(x + 384), R64(x + 448)
#define R4K(x) R512(x), R512(x + 512), R512(x + 1024), R512(x + 1536), R512(x + 2048), R512(x + 2560), R512(x + 3072), R512(x + 3584)
#define R32K(x) R4K(x), R4K(x + 4096), R4K(x + 8192), R4K(x + 12288), R4K(x + 16384), R4K(x + 20480), R4K(x + 24576), R4K(x + 28672)

long other_data[M] = {100, [M - 1] = 200};
const int other_rodata[] = {R32K(0)};

long checksum_other(void)
{
	long s = 0;
	for (int i = 0; i < M; i++)
		s += other_data[i];
	for (unsigned i = 0; i < sizeof other_rodata / sizeof other_rodata[0]; i++)
		s += other_rodata[i];
	return s;
}
