#include <stdio.h>

int dense(int x);
const char *name_of(unsigned x);
long computed_goto(const char *prog);

int main(void)
{
	long s = 0;
	for (int i = -2; i < 105; i++)
		s = s * 31 + dense(i);
	printf("dense checksum=%ld\n", s);
	for (unsigned i = 998; i < 1070; i += 7)
		printf("name_of(%u)=%s\n", i, name_of(i));
	printf("computed goto: %ld\n", computed_goto("iiiidiisi+iddd"));
	return 0;
}
