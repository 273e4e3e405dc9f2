#include "tracer.h"
// Never pulled from the archive: its constructor must not run.
Tracer ar_unused("ar_unused", 99);
int ar_unused_fn() { return 1; }
