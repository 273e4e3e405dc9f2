#include <stdio.h>
#include "ops.h"

int main_counter = 10;

int main(void)
{
	int x = add(2, 3);
	int y = mul(x, 7);
	printf("add=%d mul=%d\n", x, y);
	printf("%s\n", greet("objects"));
	printf("main_counter=%d ops_calls=%d\n", main_counter, ops_calls);
	return 0;
}
