#include <cstdio>
#include <stdexcept>

struct Poison : std::runtime_error {
	int value;
	Poison(int v) : std::runtime_error("poisoned element"), value(v) {}
};

int poison_value = -1;
int compares;

// A comparator called from libc's qsort/bsearch: throws through libc's frames.
extern "C" int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	compares++;
	if (x == poison_value)
		throw Poison(x);
	if (y == poison_value)
		throw Poison(y);
	return (x > y) - (x < y);
}

int poison_of(const std::exception &e)
{
	if (const Poison *p = dynamic_cast<const Poison *>(&e))
		return p->value;
	return -1;
}
