#pragma once
#include <cstdio>
struct Tracer {
	const char *name;
	int value;
	Tracer(const char *n, int v);
	~Tracer();
};
int log_event(const char *what);
