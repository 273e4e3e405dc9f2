// C++ crash test program (e2e/crash_test.go): an uncaught exception (std::terminate, then
// abort) on the main thread or on a std::thread (started by libstdc++, which binds to
// jitrun's pthread_create), and a stack overflow on a std::thread. CRASH:<mode> markers
// are on the crash sites' lines. Built with -g -O2.
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace shapes {
struct Validator {
	int limit;
	__attribute__((noinline)) void check(int v) const {
		if (v > limit)
			throw std::out_of_range("value " + std::to_string(v) + " out of range"); // CRASH:throw
	}
};
} // namespace shapes

volatile int sink;

__attribute__((noinline)) int deep(int n) {
	volatile char buf[128];
	buf[n % 128] = (char)n;
	return deep(n + 1) + buf[3]; // CRASH:thread-overflow
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "throw";
	std::printf("crash mode %s\n", mode);
	std::fflush(stdout);
	shapes::Validator v{10};
	if (!std::strcmp(mode, "throw")) {
		v.check(argc + 20);
	} else if (!std::strcmp(mode, "thread-throw")) {
		std::thread t([&] { v.check(argc + 30); });
		t.join();
	} else if (!std::strcmp(mode, "thread-overflow")) {
		std::thread t([] { sink = deep(0); });
		t.join();
	} else {
		return 2;
	}
	std::printf("survived\n");
	return 0;
}
