#include <stdio.h>

void show_rest(int argc, char **argv, int from)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s%s\n", i, argv[i], i >= from ? " (operand)" : "");
}
