#include <string.h>
extern char **environ;
char **other_environ(void) { return environ; }
int count_prefix(const char *prefix)
{
	int n = 0;
	for (char **e = environ; *e; e++)
		n += strncmp(*e, prefix, strlen(prefix)) == 0;
	return n;
}
