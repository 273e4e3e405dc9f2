// std::thread, mutex, condition_variable (producer/consumer), call_once, async/future, promise.
#include "queue.h"
#include <atomic>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

void init_once(int who);
extern int init_runs;
std::future<long> fib_async(int n);
std::future<long> failing_async();
long deferred(int n);

int main()
{
	Queue q;
	const int producers = 3, consumers = 4, per = 10000;
	std::atomic<long> total{0};
	std::atomic<int> items{0};
	std::vector<std::thread> ts;
	for (int c = 0; c < consumers; c++)
		ts.emplace_back([&] {
			int v;
			init_once(1);
			while (q.pop(v)) {
				total += v;
				items++;
			}
		});
	std::vector<std::thread> ps;
	for (int p = 0; p < producers; p++)
		ps.emplace_back([&, p] {
			init_once(2);
			for (int i = 1; i <= per; i++)
				q.push(p * per + i);
		});
	for (auto &t : ps)
		t.join();
	q.close();
	for (auto &t : ts)
		t.join();
	long n = (long)producers * per;
	std::printf("items %d total %ld expected %ld init_runs %d\n", items.load(), total.load(), n * (n + 1) / 2,
	            init_runs);

	std::vector<std::future<long>> fs;
	for (int i = 20; i < 26; i++)
		fs.push_back(fib_async(i));
	for (size_t i = 0; i < fs.size(); i++)
		std::printf("fib(%zu) = %ld\n", i + 20, fs[i].get());
	auto bad = failing_async();
	try {
		bad.get();
	} catch (const std::exception &e) {
		std::printf("future rethrew: %s\n", e.what());
	}
	std::printf("deferred %ld\n", deferred(15));

	std::promise<std::string> pr;
	std::future<std::string> fut = pr.get_future();
	std::thread setter([&pr] { pr.set_value("value from a promise"); });
	std::printf("%s\n", fut.get().c_str());
	setter.join();

	std::promise<int> broken;
	std::future<int> bf = broken.get_future();
	{
		std::promise<int> moved = std::move(broken);
	}
	try {
		bf.get();
	} catch (const std::future_error &e) {
		std::printf("future_error: %s\n", e.code() == std::future_errc::broken_promise ? "broken_promise" : "other");
	}
	std::packaged_task<int(int, int)> task([](int a, int b) { return a * b; });
	auto tf = task.get_future();
	std::thread(std::move(task), 6, 7).join();
	std::printf("packaged_task %d\n", tf.get());
	return 0;
}
