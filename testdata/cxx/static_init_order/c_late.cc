#include "tracer.h"
Tracer c_prio __attribute__((init_priority(101))) ("c_prio101", 101);
Tracer c_plain("c_plain", 3);
Tracer &c_lazy()
{
	static Tracer t("c_lazy_local_static", 4);
	return t;
}
