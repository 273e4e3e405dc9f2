#include <stdio.h>

int compute_status(void);

int main(void)
{
	printf("stdout: returning %d\n", compute_status());
	fprintf(stderr, "stderr: about to return\n");
	return compute_status();
}
