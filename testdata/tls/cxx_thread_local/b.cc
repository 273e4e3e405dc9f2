#include "tl.h"
thread_local std::vector<int> tl_history(3, 7);
void touch_b(int n)
{
	tl_counter += n;
	tl_inline += n;
	PerThread<int>::value += n * 10;
	tl_var<long> += n * 100;
	tl_label += "+" + std::to_string(n);
	tl_history.push_back(n);
}
Summary summarise_b()
{
	return Summary{tl_label, tl_history.size(), tl_counter, tl_inline, PerThread<int>::value, tl_var<long>,
	               &tl_inline, &PerThread<int>::value, &tl_var<long>};
}
