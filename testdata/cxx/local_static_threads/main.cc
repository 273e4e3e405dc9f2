// Function-local statics initialised concurrently by many threads (guard variables,
// __cxa_guard_acquire/release), and an initialiser that throws and is retried.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "slow.h"

static int counter_in_main()
{
	static int n = [] {
		std::printf("lambda initialiser in main runs once\n");
		return 10;
	}();
	return n;
}

int main()
{
	std::vector<std::thread> ts;
	std::atomic<int> sum{0}, same{0};
	Slow *first = nullptr;
	std::atomic<Slow *> seen{nullptr};
	for (int i = 0; i < 8; i++)
		ts.emplace_back([&] {
			Slow &s = shared_slow();
			Slow *expected = nullptr;
			if (!seen.compare_exchange_strong(expected, &s) && expected == &s)
				same++;
			sum += s.value + counter_in_main();
		});
	for (auto &t : ts)
		t.join();
	first = seen.load();
	std::printf("constructions %d, sum %d, same object %d/7, main sees same %d\n", constructions.load(),
	            sum.load(), same.load(), first == &shared_slow());
	for (int i = 0; i < 4; i++) {
		try {
			std::printf("flaky_value() = %d\n", flaky_value());
		} catch (const std::exception &e) {
			std::printf("flaky_value() threw: %s\n", e.what());
		}
	}
	return 0;
}
