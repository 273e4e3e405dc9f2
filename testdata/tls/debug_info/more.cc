// C++ thread-locals described in the debug info.
#include <string>
thread_local std::string dbg_str = "thread-local string";
thread_local int dbg_arr[4] = {1, 2, 3, 4};
namespace ns {
thread_local long dbg_ns = 99;
}
extern "C" long dbg_cxx_sum()
{
	return (long)dbg_str.size() + dbg_arr[0] + dbg_arr[3] + ns::dbg_ns++;
}
