#include <stdio.h>

extern char **environ;

void dump_env(const char *title)
{
	int n = 0;
	printf("-- %s\n", title);
	for (char **e = environ; *e; e++, n++)
		printf("  %s\n", *e);
	printf("-- %d variables\n", n);
}
