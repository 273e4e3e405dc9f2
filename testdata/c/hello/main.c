#include <stdio.h>

int main(void)
{
	puts("hello, world");
	printf("%s %d\n", "answer", 42);
	return 0;
}
