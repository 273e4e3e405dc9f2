#include <cstdlib>
#include <cstdio>

extern "C" int cmp_int(const void *, const void *);

int guards_released;
bool verbose = true;

struct Guard {
	const char *what;
	~Guard()
	{
		guards_released++;
		if (verbose)
			std::printf("  sorter guard released (%s)\n", what);
	}
};

void sort_ints(int *v, size_t n)
{
	Guard g{"qsort"};
	std::qsort(v, n, sizeof *v, cmp_int);
}

int *find_int(int key, int *v, size_t n)
{
	Guard g{"bsearch"};
	return (int *)std::bsearch(&key, v, n, sizeof *v, cmp_int);
}
