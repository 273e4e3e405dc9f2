#include "parts.h"
Machine::Machine(int base) : a(base), b(base + 1), c(base + 2) { std::printf("  Machine(%d) complete\n", base); }
Machine::~Machine() { std::printf("  ~Machine\n"); }
// Function-try-block: the handler sees the exception, and it is rethrown automatically.
Guarded::Guarded(int id) try : p(id) {
	std::printf("  Guarded(%d)\n", id);
} catch (const std::exception &e) {
	std::printf("  Guarded's function-try-block saw: %s\n", e.what());
}
