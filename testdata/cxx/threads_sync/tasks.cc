#include <cstdio>
#include <future>
#include <mutex>
#include <stdexcept>

static std::once_flag init_flag;
int init_runs;

void init_once(int who)
{
	std::call_once(init_flag, [who] {
		init_runs++;
		(void)who;
	});
}

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

std::future<long> fib_async(int n) { return std::async(std::launch::async, fib, n); }

std::future<long> failing_async()
{
	return std::async(std::launch::async, []() -> long { throw std::runtime_error("task failed"); });
}

long deferred(int n)
{
	auto f = std::async(std::launch::deferred, [n] { return fib(n) * 2; });
	return f.get();
}
