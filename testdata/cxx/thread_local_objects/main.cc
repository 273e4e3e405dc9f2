// thread_local objects with constructors and destructors: constructed on first use in
// each thread, destroyed at thread exit (and at exit() for the main thread, before
// static destructors).
#include "tl.h"
#include <cstdio>
#include <thread>

struct Static {
	~Static() { std::printf("static destructor (main's thread_locals are already gone)\n"); }
} static_obj;

static thread_local PerThread tl_main_obj("tl_main_obj");

static void work(int id)
{
	char n[16];
	std::snprintf(n, sizeof n, "thread%d", id);
	set_name(n);
	std::printf("%s: tl_plain=%d (fresh copy)\n", n, tl_plain);
	tl_plain += id;
	for (int i = 0; i <= id; i++)
		tl_shared.uses++;
	if (id % 2)
		tl_local_static(n);
	if (id == 2)
		tl_main_obj.uses = 100;
	std::printf("%s: tl_plain=%d tl_shared.uses=%d\n", n, tl_plain, tl_shared.uses);
}

int main()
{
	set_name("main");
	std::printf("main: tl_plain=%d\n", tl_plain);
	tl_plain = 1000;
	tl_local_static("main-local");
	// One thread at a time, so that the constructor/destructor lines are ordered.
	for (int i = 0; i < 4; i++) {
		std::thread t(work, i);
		t.join();
		std::printf("main: joined thread%d\n", i);
	}
	std::printf("main: tl_plain=%d tl_shared.uses=%d tl_main_obj.uses=%d\n", tl_plain, tl_shared.uses,
	            tl_main_obj.uses);
	// A thread that never touches the non-trivial thread_locals: no ctor, no dtor.
	std::thread([] { tl_plain = 5; }).join();
	std::printf("main: returning\n");
	return 0;
}
