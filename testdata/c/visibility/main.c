#include <stdio.h>

__attribute__((visibility("hidden"))) int hidden_fn(int);
__attribute__((visibility("protected"))) int protected_fn(int);
__attribute__((visibility("internal"))) int internal_fn(int);
__attribute__((visibility("hidden"))) extern int hidden_var;
__attribute__((visibility("protected"))) extern int protected_var;
__attribute__((visibility("hidden"))) extern const char hidden_str[];
typedef int (*fn)(int);
fn addr_of(int which);

int main(void)
{
	printf("hidden_fn(1)=%d protected_fn(2)=%d internal_fn(3)=%d\n", hidden_fn(1), protected_fn(2), internal_fn(3));
	hidden_var += 5;
	protected_var += 7;
	printf("hidden_var=%d protected_var=%d hidden_str=%s\n", hidden_var, protected_var, hidden_str);
	printf("addresses equal across objects: %d %d %d\n", addr_of(0) == hidden_fn, addr_of(1) == protected_fn,
	       addr_of(2) == internal_fn);
	return 0;
}
