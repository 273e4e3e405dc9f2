// C++20 coroutines: generators defined in another object, frames on the heap,
// an exception escaping a coroutine body.
#include "gen.h"
#include <cstdio>
#include <stdexcept>

int main()
{
	Gen<long> f = fib_gen(15);
	while (f.next())
		std::printf("%ld ", f.value());
	std::printf("\n");
	long sum = 0, count = 0;
	for (Gen<long> p = primes(10000); p.next();)
		sum += p.value(), count++;
	std::printf("%ld primes below 10000, sum %ld\n", count, sum);
	try {
		Gen<int> g = failing(3);
		while (g.next())
			std::printf("got %d\n", g.value());
	} catch (const std::exception &e) {
		std::printf("caught: %s\n", e.what());
	}
	// Interleaved generators.
	Gen<long> a = fib_gen(5), b = primes(12);
	while (a.next() && b.next())
		std::printf("(%ld,%ld) ", a.value(), b.value());
	std::printf("\n");
	return 0;
}
