#include <setjmp.h>
#include <stdio.h>

extern jmp_buf env;
static int jumps;

void dive(int depth, int target)
{
	volatile char pad[64];
	pad[0] = (char)depth;
	if (depth == target) {
		printf("dive: depth %d reached, longjmp(%d)\n", depth, ++jumps);
		longjmp(env, jumps);
	}
	dive(depth + 1, target);
	printf("NOT REACHED %d\n", pad[0]);
}
