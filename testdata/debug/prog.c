// A program for the debugger tests (e2e/debug_test.go): a call chain through a static
// inline function, with arguments and locals; with DEBUG_TEST_WAIT set it says "ready" and
// sleeps in leaf() so a debugger can attach.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile int sink;

__attribute__((noinline)) int leaf(int depth, const char *tag) {
	int local = depth * 7;
	sink += local;
	if (getenv("DEBUG_TEST_WAIT")) {
		printf("ready\n");
		fflush(stdout);
		for (;;)
			sleep(1);
	}
	return local + tag[0];
}

static inline int middle(int n) {
	int twice = leaf(n + 1, "mid") * 2;
	return twice + sink;
}

__attribute__((noinline)) int outer(int n) {
	return middle(n) + 1;
}

int main(int argc, char **argv) {
	(void)argv;
	printf("result %d\n", outer(argc));
	return 0;
}
