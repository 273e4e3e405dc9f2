// Templates, inline functions, static data members of templates, inline variables and
// guard variables instantiated in several objects (and an archive member): one instance each.
#include "common.h"

static bool same(const Addrs &x, const Addrs &y)
{
	return x.twice_int == y.twice_int && x.twice_double == y.twice_double && x.count_int == y.count_int &&
	       x.count_char == y.count_char && x.inline_var == y.inline_var && x.once == y.once && x.next == y.next;
}

int main()
{
	Addrs m{&twice<int>, &twice<double>, &Registry<int>::count, &Registry<char>::count,
	        &inline_counter, &the_once(), &next_id};
	Addrs a = addrs_a(), b = addrs_b(), c = addrs_c();
	std::printf("same a/b: %d, a/main: %d, c/main: %d\n", same(a, b), same(a, m), same(c, m));
	std::printf("twice_int a==b %d, count_int a==b %d, once a==c %d\n", a.twice_int == b.twice_int,
	            a.count_int == b.count_int, a.once == c.once);
	work_a();
	work_b();
	std::printf("main: Registry<int>::count=%d Registry<char>::count=%d Registry<long>::bump()=%d\n",
	            Registry<int>::count, Registry<char>::count, Registry<long>::bump());
	std::printf("main: inline_counter=%d via a's pointer=%d\n", inline_counter, *a.inline_var);
	std::printf("main: twice(1.25)=%g via b's pointer=%g\n", twice(1.25), b.twice_double(1.25));
	return 0;
}
