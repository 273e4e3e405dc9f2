#include "reg.h"
#include <cstdlib>

Noisy reg_global("reg_global");

static void nested_handler() { std::printf("atexit handler registered by another atexit handler\n"); }
static void outer_handler()
{
	std::printf("outer atexit handler: registering another\n");
	std::atexit(nested_handler);
}

void register_more()
{
	std::atexit(outer_handler);
}

Noisy &lazy(int i)
{
	switch (i) {
	case 0: {
		static Noisy a("lazy0");
		return a;
	}
	case 1: {
		static Noisy b("lazy1");
		return b;
	}
	default: {
		static Noisy c("lazy2");
		return c;
	}
	}
}

void deep_exit(int depth)
{
	Noisy automatic("automatic (never destroyed by exit)");
	if (depth == 0) {
		std::printf("calling exit(7) from depth 0\n");
		std::fflush(stdout);
		std::exit(7);
	}
	deep_exit(depth - 1);
}
