#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;
char **other_environ(void);
int count_prefix(const char *prefix);

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	printf("environ == envp: %d\n", environ == envp);
	printf("environ same in other object: %d\n", environ == other_environ());
	int n = 0;
	while (envp[n])
		n++;
	printf("envp entries: %d\n", n);
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "JITRUN_", 7) == 0 || strncmp(*e, "TZ=", 3) == 0)
			printf("  %s\n", *e);
	setenv("JITRUN_ADDED", "yes", 1);
	printf("after setenv: environ==envp %d, JITRUN_ vars=%d\n", environ == envp, count_prefix("JITRUN_"));
	printf("envp still has %s\n", envp[0] ? "entries" : "nothing");
	return 0;
}
