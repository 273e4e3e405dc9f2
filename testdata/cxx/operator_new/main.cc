// A program that replaces operator new/delete: its own allocations and those made inside
// libstdc++ (std::string growth, exceptions' what strings, locale-free containers) all
// reach the replacement.
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

extern long news, deletes, array_news, aligned_news;

struct alignas(64) Wide {
	char c[64];
};

static void report(const char *what, long n0, long d0)
{
	std::printf("%-34s news %+ld deletes %+ld\n", what, news - n0, deletes - d0);
}

int main()
{
	long n0 = news, d0 = deletes;
	int *volatile p = new int(5); // volatile: the allocation may not be elided
	delete p;
	report("new/delete int", n0, d0);

	n0 = news, d0 = deletes;
	int *volatile arr = new int[100];
	delete[] arr;
	report("new[]/delete[]", n0, d0);

	n0 = news, d0 = deletes;
	Wide *volatile w = new Wide;
	delete w;
	std::printf("aligned news %ld\n", aligned_news);

	n0 = news, d0 = deletes;
	{
		std::vector<int> v;
		for (int i = 0; i < 1000; i++)
			v.push_back(i);
	}
	report("vector growth (header code)", n0, d0);

	n0 = news, d0 = deletes;
	{
		std::string s = "a string long enough to need the heap";
		s.reserve(1000); // std::string::reserve is instantiated in libstdc++.so
		s.append(2000, 'x');
	}
	report("string reserve/append (libstdc++)", n0, d0);

	n0 = news, d0 = deletes;
	{
		std::map<int, int> m;
		for (int i = 0; i < 50; i++)
			m[i] = i;
	}
	report("map of 50", n0, d0);

	n0 = news, d0 = deletes;
	try {
		throw std::runtime_error(std::string(100, 'e')); // what string lives in libstdc++
	} catch (const std::exception &e) {
		std::printf("caught (%zu chars)\n", std::string(e.what()).size());
	}
	report("runtime_error with long message", n0, d0);

	n0 = news, d0 = deletes;
	{
		auto sp = std::make_shared<std::string>(200, 's');
	}
	report("make_shared", n0, d0);
	std::printf("array news %ld\n", array_news);
	return 0;
}
