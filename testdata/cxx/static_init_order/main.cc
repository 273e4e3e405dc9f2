// Static initialisation order across objects: file order, init_priority, constructor
// functions, destructors in reverse, atexit interleaved with static destructors.
#include "tracer.h"
#include <cstdlib>

Tracer main_global("main_global", 5);
Tracer &c_lazy();
int b_leak_value();

static void main_atexit1() { log_event("main atexit 1"); }
static void main_atexit2() { log_event("main atexit 2"); }

int main()
{
	log_event("main starts");
	std::atexit(main_atexit1);
	Tracer &l = c_lazy(); // its destructor is registered now, after main_atexit1
	std::atexit(main_atexit2);
	std::printf("lazy %d leak %d\n", l.value, b_leak_value());
	log_event("main returns");
	return 3;
}
