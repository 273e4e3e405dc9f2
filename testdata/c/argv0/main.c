#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

void print_args(int argc, char **argv);

int main(int argc, char **argv)
{
	printf("argv[0]=%s\n", argv[0]);
	printf("program_invocation_name=%s\n", program_invocation_name);
	printf("program_invocation_short_name=%s\n", program_invocation_short_name);
	printf("same pointer as argv[0]: %d\n", program_invocation_name == argv[0]);
	print_args(argc, argv);
	fprintf(stderr, "%s: message on stderr\n", program_invocation_short_name);
	return argc;
}
