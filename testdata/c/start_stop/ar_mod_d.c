#include "registry.h"
/* not pulled: its registry entry must not appear */
static int bad(int x) { return x * 1000; }
REGISTER(d_unlinked, 50, bad);
int mod_d_anchor(void) { return 4; }
