#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;
void dump_env(const char *title);

int main(void)
{
	const char *v = getenv("JITRUN_E2E");
	printf("JITRUN_E2E=%s\n", v ? v : "(null)");
	printf("TZ=%s LC_ALL=%s MISSING=%s\n", getenv("TZ"), getenv("LC_ALL"), getenv("NO_SUCH_VAR_X") ? "set" : "(null)");
	dump_env("initial");
	setenv("NEW_VAR", "one", 0);
	setenv("NEW_VAR", "two", 0);
	printf("NEW_VAR=%s\n", getenv("NEW_VAR"));
	setenv("NEW_VAR", "three", 1);
	setenv("JITRUN_E2E", "overwritten", 1);
	unsetenv("LC_ALL");
	static char pe[] = "PUT_VAR=put";
	putenv(pe);
	pe[8] = 'P';
	dump_env("modified");
	unsetenv("PUT_VAR");
	clearenv();
	setenv("ONLY", "1", 1);
	dump_env("cleared");
	return 0;
}
