#include <cstdio>
#include <new>

static char *reserve_block = new char[1 << 20];
int handler_calls;

// Called by libstdc++'s operator new when malloc fails: first frees a reserve and lets
// the allocation retry, then gives up by throwing.
void low_memory_handler()
{
	handler_calls++;
	if (reserve_block) {
		delete[] reserve_block;
		reserve_block = nullptr;
		return;
	}
	std::set_new_handler(nullptr);
	throw std::bad_alloc();
}
