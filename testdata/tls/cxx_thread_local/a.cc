#include "tl.h"
thread_local std::string tl_label = "label-" + std::to_string(tl_counter);
thread_local int tl_counter = 1;
Summary summarise_a()
{
	return Summary{tl_label, tl_history.size(), tl_counter, tl_inline, PerThread<int>::value, tl_var<long>,
	               &tl_inline, &PerThread<int>::value, &tl_var<long>};
}
