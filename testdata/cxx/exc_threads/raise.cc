#include <stdexcept>
#include <string>

struct Bad : std::runtime_error {
	int n;
	Bad(int n) : std::runtime_error("bad"), n(n) {}
};

struct Holder {
	int *counter;
	~Holder() { ++*counter; }
};

// Throws from two frames deep, with a destructor to run on the way out.
static int __attribute__((noinline)) level2(int i, int *dtors)
{
	Holder h{dtors};
	if (i % 7 == 0)
		throw Bad(i);
	if (i % 11 == 0)
		throw std::to_string(i);
	return i;
}

int __attribute__((noinline)) level1(int i, int *dtors)
{
	Holder h{dtors};
	return level2(i, dtors) + 1;
}
