#include <stdio.h>
int a_end(int);

int b_mid(int x)
{
	printf("b_mid(%d)\n", x);
	return a_end(x * 10);
}
