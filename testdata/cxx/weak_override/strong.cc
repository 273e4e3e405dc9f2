#include <cstdio>
const char *greeting() { return "strong greeting"; }
extern "C" int c_linkage_weak(int x) { return x * 100; }
int table_size = 64;
