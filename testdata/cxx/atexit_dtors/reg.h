#pragma once
#include <cstdio>
struct Noisy {
	const char *n;
	Noisy(const char *n) : n(n) { std::printf("ctor %s\n", n); }
	~Noisy() { std::printf("dtor %s\n", n); }
};
void register_more();
Noisy &lazy(int i);
void deep_exit(int depth);
