#pragma once
#include <atomic>
struct Slow {
	int value;
	Slow();
	~Slow();
};
Slow &shared_slow();
int flaky_value();
extern std::atomic<int> constructions;
