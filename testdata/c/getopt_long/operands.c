#include <stdio.h>
int report_operands(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++)
		printf("operand: %s\n", argv[i]);
	return argc - from;
}
