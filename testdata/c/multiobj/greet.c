#include <stdio.h>
#include "ops.h"

static char buf[64];

const char *greet(const char *who)
{
	snprintf(buf, sizeof buf, "hello from %s (%d)", who, add(main_counter, 0));
	return buf;
}
