// A JIT'd comparator that throws through libc's qsort and bsearch frames.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

void sort_ints(int *v, size_t n);
int *find_int(int key, int *v, size_t n);
int poison_of(const std::exception &e);
extern int poison_value;
extern int compares;
extern int guards_released;
extern bool verbose;

static std::vector<int> make(int n, unsigned seed)
{
	std::vector<int> v(n);
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)((seed >> 8) % 100000u);
	}
	return v;
}

int main()
{
	for (int n : {10, 1000, 100000}) {
		std::vector<int> v = make(n, n);
		poison_value = -1;
		sort_ints(v.data(), v.size());
		bool ok = true;
		for (size_t i = 1; i < v.size(); i++)
			ok &= v[i - 1] <= v[i];
		std::printf("n=%d sorted=%d min=%d max=%d\n", n, ok, v.front(), v.back());

		std::vector<int> w = make(n, n + 7);
		poison_value = w[n / 2];
		try {
			sort_ints(w.data(), w.size());
			std::printf("n=%d: poisoned sort returned normally\n", n);
		} catch (const std::exception &e) {
			std::printf("n=%d: caught '%s' value=%d (poison %d)\n", n, e.what(), poison_of(e), poison_value);
		}

		poison_value = -1;
		int *hit = find_int(v[n / 3], v.data(), v.size());
		std::printf("n=%d: bsearch found=%d\n", n, hit && *hit == v[n / 3]);
		poison_value = v[(n - 1) / 2];
		try {
			find_int(v[n / 4], v.data(), v.size());
			std::printf("n=%d: poisoned bsearch returned\n", n);
		} catch (const std::exception &e) {
			std::printf("n=%d: bsearch threw value=%d\n", n, poison_of(e));
		}
	}
	// Many throws through qsort, to exercise the unwinder's caches.
	int thrown = 0;
	verbose = false;
	guards_released = 0;
	for (int i = 0; i < 2000; i++) {
		std::vector<int> v = make(64, i);
		poison_value = v[i % 64];
		try {
			sort_ints(v.data(), v.size());
		} catch (const std::exception &) {
			thrown++;
		}
	}
	std::printf("thrown %d of 2000, guards released %d\n", thrown, guards_released);
	return compares > 0 ? 0 : 1;
}
