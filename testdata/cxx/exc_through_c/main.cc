// C++ exceptions thrown through C frames (compiled with -fexceptions) back into C++.
#include <cstdio>
#include <stdexcept>
#include <string>

extern "C" {
int c_walk(const int *v, int n, int (*visit)(int, void *), void *ctx);
struct ops {
	int (*pre)(int);
	int (*post)(int);
};
int c_apply(const struct ops *o, int x);
}

struct Limit : std::runtime_error {
	int at;
	Limit(int at) : std::runtime_error("limit reached"), at(at) {}
};

extern "C" int visit(int x, void *ctx)
{
	int limit = *(int *)ctx;
	if (x > limit)
		throw Limit(x);
	return x;
}

extern "C" int pre(int x) { return x + 1; }
extern "C" int post(int x)
{
	if (x % 2)
		throw std::string("odd result " + std::to_string(x));
	return x / 2;
}

int main()
{
	int v[] = {1, 2, 3, 50, 4};
	for (int limit : {100, 10}) {
		try {
			std::printf("walk limit %d: total %d\n", limit, c_walk(v, 5, visit, &limit));
		} catch (const Limit &e) {
			std::printf("walk limit %d: %s at %d\n", limit, e.what(), e.at);
		}
	}
	ops o{pre, post};
	for (int x : {3, 4}) {
		try {
			std::printf("apply(%d) = %d\n", x, c_apply(&o, x));
		} catch (const std::string &s) {
			std::printf("apply(%d) threw '%s'\n", x, s.c_str());
		}
	}
	return 0;
}
