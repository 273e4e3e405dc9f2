#include <stdio.h>

int a_start(int);

int main(void)
{
	printf("result=%d\n", a_start(1));
	return 0;
}
