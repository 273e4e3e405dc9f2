#include <stdio.h>
#include <string.h>

void cat_file(const char *path, FILE *to);

static char outbuf[256];

int main(void)
{
	/* fully buffered stdout with a user buffer; unbuffered stderr */
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	setvbuf(stderr, NULL, _IONBF, 0);
	printf("line 1 to real stdout\n");
	fprintf(stderr, "stderr: before reassignment\n");

	FILE *saved = stdout;
	FILE *f = fopen("reassigned.txt", "w");
	if (!f) {
		perror("fopen");
		return 1;
	}
	stdout = f;
	printf("this goes to reassigned.txt via printf\n");
	puts("and this via puts");
	putchar('!');
	putchar('\n');
	fclose(f);
	stdout = saved;
	printf("back on real stdout\n");
	cat_file("reassigned.txt", stdout);

	fflush(stdout);
	if (!freopen("reopened.txt", "w", stdout)) {
		perror("freopen");
		return 1;
	}
	printf("written after freopen\n");
	fwrite("fwrite data\n", 1, 12, stdout);
	fflush(stdout);
	fprintf(stderr, "stderr: reopened.txt contains:\n");
	cat_file("reopened.txt", stderr);
	fputs("stderr: done\n", stderr);
	return 0;
}
