// std::set_new_handler: a JIT'd handler called from libstdc++'s operator new;
// nothrow new returning null; bad_alloc through the handler.
#include <cstdio>
#include <cstdint>
#include <new>

void low_memory_handler();
extern int handler_calls;

int main()
{
	const size_t huge = (size_t)1 << 47; // never satisfiable
	char *volatile p = new (std::nothrow) char[huge];
	std::printf("nothrow new: %s\n", p ? "non-null?!" : "null");
	std::new_handler old = std::set_new_handler(low_memory_handler);
	std::printf("previous handler: %s\n", old ? "set" : "none");
	try {
		char *volatile q = new char[huge];
		std::printf("huge new succeeded?! %d\n", q != nullptr);
	} catch (const std::bad_alloc &e) {
		std::printf("bad_alloc after %d handler calls: %s\n", handler_calls, e.what());
	}
	std::printf("handler now: %s\n", std::get_new_handler() ? "set" : "none");
	int *volatile ok = new int[1000];
	ok[999] = 1;
	delete[] ok;
	std::printf("small allocations still work\n");
	return 0;
}
