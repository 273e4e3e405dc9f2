#include "parts.h"
#include <exception>
int fail_at = -1;
int live;
Part::Part(int id) : id(id)
{
	if (id == fail_at) {
		std::printf("  Part(%d) throws\n", id);
		throw std::runtime_error("part " + std::to_string(id));
	}
	live++;
	std::printf("  Part(%d)\n", id);
}
Part::Part(const Part &o) : Part(o.id + 100) {}
Part::~Part()
{
	live--;
	std::printf("  ~Part(%d)%s\n", id, std::uncaught_exceptions() ? " during unwinding" : "");
}
