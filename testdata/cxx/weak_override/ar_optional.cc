#include <cstdio>
// Defines optional_hook, but a weak undefined reference does not pull an archive member.
void optional_hook() { std::printf("hook\n"); }
