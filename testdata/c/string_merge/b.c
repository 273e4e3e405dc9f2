#include <stddef.h>
const char *b_greeting(void) { return "Hello, merged world!"; }
static const char *const tbl[] = {"world!", "merged", "Hello, merged world!", "", NULL};
const char *const *b_table(void) { return tbl; }
const char *b_wide(int i)
{
	static const char *const w[] = {"alpha", "beta", "gamma"};
	return w[i] + (i == 2 ? 2 : 0);
}
