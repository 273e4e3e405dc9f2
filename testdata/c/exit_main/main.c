#include <stdio.h>
#include <stdlib.h>

void deep_exit(int depth);

static void handler(void)
{
	printf("atexit handler runs before stdio flush\n");
	fprintf(stderr, "stderr from atexit handler\n");
}

int main(void)
{
	atexit(handler);
	printf("buffered output that exit() must flush\n");
	fprintf(stderr, "stderr before exit\n");
	deep_exit(5);
	puts("NOT REACHED");
	return 0;
}
