#include "common.h"
Addrs addrs_c()
{
	return Addrs{&twice<int>, &twice<double>, &Registry<int>::count, &Registry<char>::count,
	             &inline_counter, &the_once(), &next_id};
}
