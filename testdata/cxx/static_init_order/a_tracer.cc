#include "tracer.h"
#include <cstdlib>
static int seq;
int log_event(const char *what)
{
	std::printf("[%2d] %s\n", ++seq, what);
	return seq;
}
Tracer::Tracer(const char *n, int v) : name(n), value(v)
{
	std::printf("[%2d] construct %s (%d)\n", ++seq, n, v);
}
Tracer::~Tracer() { std::printf("[%2d] destroy %s\n", ++seq, name); }

Tracer a_first("a_first", 1);
static void a_atexit() { log_event("atexit registered during a's initialisation"); }
static int a_reg = (std::atexit(a_atexit), log_event("a: atexit registered"));
Tracer a_second("a_second", 2);
