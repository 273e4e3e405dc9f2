#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>

struct ThreadObj {
	const char *n;
	ThreadObj(const char *n) : n(n) { std::printf("thread_local %s constructed\n", n); }
	~ThreadObj() { std::printf("thread_local %s destroyed\n", n); }
};

thread_local ThreadObj worker_tl("worker_tl");

std::mutex mu;
std::condition_variable cv;
bool main_waiting;

void worker()
{
	{
		std::unique_lock<std::mutex> l(mu);
		cv.wait(l, [] { return main_waiting; });
	}
	std::printf("worker: touching %s, calling exit(3)\n", worker_tl.n);
	std::exit(3); // runs this thread's thread_local destructors, atexit handlers and static destructors
}
