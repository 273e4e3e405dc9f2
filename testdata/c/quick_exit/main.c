#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void register_quick(void);

static void say(const char *s) { write(1, s, strlen(s)); }
static void normal_exit_handler(void) { say("ERROR: atexit handler ran on quick_exit\n"); }
static void q1(void) { say("at_quick_exit handler 1 (runs last)\n"); }

int main(void)
{
	atexit(normal_exit_handler);
	at_quick_exit(q1);
	register_quick();
	printf("flushed before quick_exit\n");
	fflush(stdout);
	printf("buffered, never flushed: must not appear\n");
	fprintf(stderr, "stderr is unbuffered\n");
	quick_exit(4);
}
