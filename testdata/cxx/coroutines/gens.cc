#include "gen.h"
#include <stdexcept>

Gen<long> fib_gen(int n)
{
	long a = 0, b = 1;
	for (int i = 0; i < n; i++) {
		co_yield a;
		long t = a + b;
		a = b;
		b = t;
	}
}

Gen<long> primes(long limit)
{
	for (long n = 2; n <= limit; n++) {
		bool p = true;
		for (long d = 2; d * d <= n && p; d++)
			p = n % d != 0;
		if (p)
			co_yield n;
	}
}

Gen<int> failing(int after)
{
	for (int i = 0;; i++) {
		if (i == after)
			throw std::runtime_error("generator failed after " + std::to_string(i));
		co_yield i;
	}
}
