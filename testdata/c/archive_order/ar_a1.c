#include <stdio.h>
int b_mid(int);

int a_start(int x)
{
	printf("a_start(%d)\n", x);
	return b_mid(x + 1) * 2;
}
