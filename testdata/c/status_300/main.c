#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argv;
	printf("returning 300 from main (argc=%d)\n", argc);
	fprintf(stderr, "status should be 300 & 255 = 44\n");
	return 300;
}
