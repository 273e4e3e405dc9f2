#include "registry.h"
static int neg(int x) { return -x; }
REGISTER(c_neg, 99, neg);
int mod_c_anchor(void) { return 3; }
