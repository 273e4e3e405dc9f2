__attribute__((visibility("hidden"))) int hidden_var = 10;
__attribute__((visibility("protected"))) int protected_var = 20;
__attribute__((visibility("hidden"))) const char hidden_str[] = "hidden string";

__attribute__((visibility("hidden"))) int hidden_fn(int x) { return x + hidden_var; }
__attribute__((visibility("protected"))) int protected_fn(int x) { return x + protected_var; }
__attribute__((visibility("internal"))) int internal_fn(int x) { return x * 1000; }

typedef int (*fn)(int);
fn addr_of(int which)
{
	static const fn tbl[] = {hidden_fn, protected_fn, internal_fn};
	return tbl[which];
}
