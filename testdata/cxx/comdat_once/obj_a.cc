#include "common.h"
Addrs addrs_a()
{
	return Addrs{&twice<int>, &twice<double>, &Registry<int>::count, &Registry<char>::count,
	             &inline_counter, &the_once(), &next_id};
}
void work_a()
{
	std::printf("work_a: twice(21)=%d Registry<int>::bump()=%d Registry<char>::bump()=%d once.id=%d\n",
	            twice(21), Registry<int>::bump(), Registry<char>::bump(), the_once().id);
	std::printf("work_a: Fib<20>=%ld next_id=%d\n", Fib<20>::value, next_id());
}
