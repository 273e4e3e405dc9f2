#pragma once
#include <cstdio>
#include <stdexcept>
extern int fail_at; // the Part with this id throws from its constructor
extern int live;
struct Part {
	int id;
	Part(int id);
	Part(const Part &o);
	~Part();
};
struct Machine {
	Part a, b, c;
	Machine(int base);
	~Machine();
};
struct Guarded {
	Part p;
	Guarded(int id);
};
