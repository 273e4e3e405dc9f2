#include "tl.h"
#include <cstdio>

static thread_local char name[32] = "unnamed";
void set_name(const char *n) { std::snprintf(name, sizeof name, "%s", n); }
const char *get_name() { return name; }

PerThread::PerThread(const char *who) : owner(who) { std::printf("  ctor PerThread(%s) in %s\n", who, name); }
PerThread::~PerThread() { std::printf("  dtor PerThread(%s) in %s after %d uses\n", owner.c_str(), name, uses); }

thread_local PerThread tl_shared("tl_shared");
thread_local int tl_plain = 7;

PerThread &tl_local_static(const char *who)
{
	thread_local PerThread p(who); // function-local thread_local
	p.uses++;
	return p;
}
