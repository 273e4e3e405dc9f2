#include "registry.h"
static int plus1(int x) { return x + 1; }
static int plus2(int x) { return x + 2; }
REGISTER(a_plus1, 10, plus1);
REGISTER(a_plus2, 20, plus2);
