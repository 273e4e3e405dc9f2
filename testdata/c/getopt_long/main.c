#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

int report_operands(int argc, char **argv, int from);
int quiet_flag;

int main(int argc, char **argv)
{
	static struct option opts[] = {
		{"verbose", no_argument, NULL, 'v'},  {"name", required_argument, NULL, 'n'},
		{"count", required_argument, NULL, 'c'}, {"level", optional_argument, NULL, 'l'},
		{"quiet", no_argument, &quiet_flag, 1}, {0, 0, 0, 0},
	};
	int c, idx;
	while ((c = getopt_long(argc, argv, "vn:c:l::q", opts, &idx)) != -1) {
		switch (c) {
		case 0:
			printf("flag option --%s set\n", opts[idx].name);
			break;
		case 'v':
			printf("verbose\n");
			break;
		case 'n':
			printf("name=%s\n", optarg);
			break;
		case 'c':
			printf("count=%d\n", atoi(optarg));
			break;
		case 'l':
			printf("level=%s\n", optarg ? optarg : "(default)");
			break;
		case 'q':
			printf("short q\n");
			break;
		default:
			printf("getopt_long returned '%c'\n", c);
		}
	}
	printf("optind after getopt_long = %d (argc %d) quiet_flag=%d\n", optind, argc, quiet_flag);
	return report_operands(argc, argv, optind);
}
