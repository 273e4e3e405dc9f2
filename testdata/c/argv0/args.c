#include <stdio.h>
void print_args(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	printf("argv[argc]=%s\n", argv[argc] ? "non-null" : "NULL");
}
