#include "tracer.h"
extern Tracer a_first;
// Dynamic initialisation that reads another object's global: a_first was
// constructed first because a_tracer.o precedes b_users.o on the command line.
Tracer b_copy("b_copy", a_first.value * 10);
Tracer b_prio __attribute__((init_priority(200))) ("b_prio200", 200);
Tracer b_prio_late __attribute__((init_priority(60000))) ("b_prio60000", 60000);
static Tracer *b_leak = new Tracer("b_heap_never_destroyed", 7);
__attribute__((constructor(150))) static void b_ctor150() { log_event("b: constructor(150) function"); }
__attribute__((destructor(150))) static void b_dtor150() { log_event("b: destructor(150) function"); }
__attribute__((constructor)) static void b_ctor() { log_event("b: constructor function (no priority)"); }
__attribute__((destructor)) static void b_dtor() { log_event("b: destructor function (no priority)"); }
int b_leak_value() { return b_leak->value; }
