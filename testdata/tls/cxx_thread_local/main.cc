// C++ thread_local with std::thread: dynamic initialisation through TLS wrapper/init
// functions across objects, COMDAT thread_locals (inline variables, static members of
// templates, variable templates) that must be one instance per thread in every object.
#include "tl.h"
#include <cstdio>
#include <thread>
#include <vector>

static std::string show(const Summary &s)
{
	char b[200];
	std::snprintf(b, sizeof b, "%s hist=%zu ctr=%d inline=%d pt=%d var=%ld", s.label.c_str(), s.history, s.counter,
	              s.inl, s.pt_int, s.var_long);
	return b;
}

static std::string check(int id)
{
	Summary a0 = summarise_a();
	std::string fresh = show(a0);
	touch_b(id);
	Summary a = summarise_a(), b = summarise_b();
	bool same = a.addr_inline == b.addr_inline && a.addr_pt == b.addr_pt && a.addr_var == b.addr_var &&
	            a.addr_inline == &tl_inline && a.addr_pt == &PerThread<int>::value && a.addr_var == &tl_var<long>;
	return "fresh {" + fresh + "} after {" + show(b) + "} a==b " + std::to_string(show(a) == show(b)) +
	       " one-instance " + std::to_string(same);
}

int main()
{
	std::printf("main: %s\n", check(1).c_str());
	std::vector<std::string> out(6);
	std::vector<std::thread> ts;
	for (int i = 0; i < 6; i++)
		ts.emplace_back([i, &out] { out[i] = check(i + 2); });
	for (auto &t : ts)
		t.join();
	for (int i = 0; i < 6; i++)
		std::printf("thread %d: %s\n", i, out[i].c_str());
	std::printf("main again: %s\n", show(summarise_a()).c_str());
	return 0;
}
