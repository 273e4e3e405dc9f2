#include <stdio.h>
int b_final(int x)
{
	printf("b_final(%d)\n", x);
	return x * 3;
}
