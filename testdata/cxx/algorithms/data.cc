#include <random>
#include <vector>

std::vector<int> random_ints(size_t n, unsigned seed)
{
	std::mt19937 gen(seed);
	std::vector<int> v(n);
	for (auto &x : v)
		x = (int)(gen() % 1000000);
	return v;
}

std::vector<double> random_doubles(size_t n, unsigned seed)
{
	std::mt19937_64 gen(seed);
	std::vector<double> v(n);
	for (auto &x : v)
		x = (double)(gen() >> 11) * 0x1.0p-53; // uniform in [0,1), exact on every libstdc++
	return v;
}

bool by_digit_sum(int a, int b)
{
	auto ds = [](int x) {
		int s = 0;
		for (; x; x /= 10)
			s += x % 10;
		return s;
	};
	int da = ds(a), db = ds(b);
	return da != db ? da < db : a < b;
}
