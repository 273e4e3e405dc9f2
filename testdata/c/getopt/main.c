#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void show_rest(int argc, char **argv, int from);

int main(int argc, char **argv)
{
	int verbose = 0, n = 0, c;
	const char *out = "-";
	while ((c = getopt(argc, argv, "vn:o:")) != -1) {
		switch (c) {
		case 'v':
			verbose++;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case '?':
			printf("unknown option optopt=%c\n", optopt);
			break;
		}
	}
	printf("verbose=%d n=%d out=%s optind=%d argc=%d\n", verbose, n, out, optind, argc);
	show_rest(argc, argv, optind);

	/* second pass: silent errors and missing argument detection */
	optind = 1;
	opterr = 0;
	int errors = 0;
	while ((c = getopt(argc, argv, ":vn:o:")) != -1) {
		if (c == '?' || c == ':')
			errors++;
	}
	printf("second pass errors=%d optind=%d\n", errors, optind);
	char *args2[] = {argv[0], "-n", NULL};
	optind = 1;
	opterr = 1;
	c = getopt(2, args2, "n:");
	printf("missing arg returned %c optopt=%c\n", c, optopt);
	return verbose;
}
