// exit() called from a std::thread while main is blocked in join(): the exiting thread
// runs its thread_local destructors, the atexit handlers and the static destructors.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

void worker();
extern std::mutex mu;
extern std::condition_variable cv;
extern bool main_waiting;

struct Global {
	~Global() { std::printf("static destructor Global\n"); }
} global;

struct MainTL {
	~MainTL() { std::printf("main's thread_local destroyed (must not happen)\n"); }
};
thread_local MainTL main_tl;

static void handler() { std::printf("atexit handler\n"); }

int main()
{
	(void)&main_tl; // constructed in main's thread
	std::atexit(handler);
	std::thread t(worker);
	{
		std::lock_guard<std::mutex> l(mu);
		main_waiting = true;
	}
	cv.notify_one();
	t.join(); // never returns
	std::printf("main: not reached\n");
	return 0;
}
