// Exceptions from constructors: members already constructed are destroyed, array new
// destroys constructed elements and frees the memory, function-try-blocks rethrow.
#include "parts.h"
#include <cstdlib>
#include <vector>

struct Seq : Part {
	static int next;
	Seq() : Part(next++) {}
};
int Seq::next;

static int step(const char *title, int fail, void (*f)())
{
	fail_at = fail;
	std::printf("%s (fail at %d)\n", title, fail);
	try {
		f();
		std::printf("  no exception\n");
	} catch (const std::exception &e) {
		std::printf("  caught: %s\n", e.what());
	}
	std::printf("  live parts: %d\n", live);
	return live;
}

int main()
{
	int leaks = 0;
	for (int fail : {-1, 10, 11, 12})
		leaks += step("Machine on the stack", fail, [] { Machine m(10); });
	for (int fail : {-1, 21})
		leaks += step("Machine on the heap", fail, [] { delete new Machine(20); });
	leaks += step("array new of Parts", 33, [] {
		Seq::next = 30;
		Seq *arr = new Seq[6];
		delete[] arr;
	});
	leaks += step("vector copy", 102, [] {
		std::vector<Part> v;
		v.reserve(4);
		for (int i = 0; i < 4; i++)
			v.emplace_back(i);
		std::vector<Part> w = v; // copy of element 2 (id 102) throws
	});
	leaks += step("function-try-block", 40, [] { Guarded g(40); });
	leaks += step("function-try-block ok", -1, [] { Guarded g(41); });
	return leaks;
}
