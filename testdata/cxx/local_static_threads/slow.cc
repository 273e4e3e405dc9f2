#include "slow.h"
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

std::atomic<int> constructions{0};
std::atomic<int> attempts{0};

Slow::Slow()
{
	constructions++;
	std::this_thread::sleep_for(std::chrono::milliseconds(50));
	value = 4242;
}
Slow::~Slow() { std::printf("Slow destroyed (value %d)\n", value); }

// Many threads race to initialise this: exactly one constructs, the others wait.
Slow &shared_slow()
{
	static Slow s;
	return s;
}

struct Flaky {
	int tries;
	Flaky()
	{
		tries = ++attempts;
		if (tries < 3)
			throw std::runtime_error("flaky constructor");
	}
};

// The initialiser throws twice: the guard is released (__cxa_guard_abort) and retried.
int flaky_value()
{
	static Flaky f;
	return f.tries;
}
