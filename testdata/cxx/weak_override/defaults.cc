// Weak default implementations, some overridden by strong definitions elsewhere.
#include <cstdio>
__attribute__((weak)) const char *greeting() { return "default greeting"; }
__attribute__((weak)) int tuning() { return 1; }
__attribute__((weak)) int table_size = 4;
__attribute__((weak)) void optional_hook(); // weak undefined: may stay null
extern "C" __attribute__((weak)) int c_linkage_weak(int x) { return x; }

void show()
{
	std::printf("greeting: %s\n", greeting());
	std::printf("tuning: %d\n", tuning());
	std::printf("table_size: %d\n", table_size);
	std::printf("optional_hook: %s\n", optional_hook ? "present" : "absent");
	std::printf("c_linkage_weak(5): %d\n", c_linkage_weak(5));
}
