#include "registry.h"
static int square(int x) { return x * x; }
REGISTER(b_square, 1, square);
