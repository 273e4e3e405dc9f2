#include <stdio.h>
#include <stdlib.h>

__attribute__((destructor)) static void dtor(void) { printf("destructor after exit(3)\n"); }

void deep_exit(int depth)
{
	if (depth == 0) {
		printf("calling exit(3) from nested frame\n");
		exit(3);
	}
	deep_exit(depth - 1);
	printf("NOT REACHED %d\n", depth);
}
