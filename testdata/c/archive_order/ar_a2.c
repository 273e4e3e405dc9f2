#include <stdio.h>
int b_final(int);

int a_end(int x)
{
	printf("a_end(%d)\n", x);
	return b_final(x + 1) + 1;
}
