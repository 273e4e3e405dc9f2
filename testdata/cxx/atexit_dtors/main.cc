// atexit handlers and static destructors (globals and function-local statics in several
// objects) run in reverse order of registration/construction, also when exit() is called
// deep in the stack; a handler registering another handler.
#include "reg.h"
#include <cstdlib>

Noisy main_global("main_global");

static void h1() { std::printf("atexit h1\n"); }
static void h2() { std::printf("atexit h2\n"); }

int main(int argc, char **argv)
{
	std::atexit(h1);
	lazy(1);
	register_more();
	lazy(0);
	std::atexit(h2);
	std::at_quick_exit(h2); // never run: no quick_exit
	std::printf("argc %d\n", argc);
	if (argc > 1)
		deep_exit(3);
	return 0;
}
