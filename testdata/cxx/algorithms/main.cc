// <algorithm>/<numeric> over large data with comparators from another object; <random>.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

std::vector<int> random_ints(size_t n, unsigned seed);
std::vector<double> random_doubles(size_t n, unsigned seed);
bool by_digit_sum(int a, int b);

static unsigned long checksum(const std::vector<int> &v)
{
	unsigned long h = 1469598103934665603ul;
	for (int x : v)
		h = (h ^ (unsigned)x) * 1099511628211ul;
	return h;
}

int main()
{
	auto v = random_ints(1000000, 42);
	std::printf("first %d %d %d\n", v[0], v[1], v[2]);
	auto s = v;
	std::sort(s.begin(), s.end());
	std::printf("sorted %d min %d max %d median %d sum %lld\n", std::is_sorted(s.begin(), s.end()), s.front(),
	            s.back(), s[s.size() / 2], std::accumulate(s.begin(), s.end(), 0LL));
	auto d = v;
	std::stable_sort(d.begin(), d.end(), by_digit_sum);
	std::printf("by digit sum: %d %d ... %d checksum %lx\n", d[0], d[1], d.back(), checksum(d));
	auto n = v;
	std::nth_element(n.begin(), n.begin() + 1000, n.end(), by_digit_sum);
	std::printf("nth(1000) by digit sum %d\n", n[1000]);
	s.erase(std::unique(s.begin(), s.end()), s.end());
	std::printf("distinct %zu, lower_bound(500000) at %td\n", s.size(),
	            std::lower_bound(s.begin(), s.end(), 500000) - s.begin());
	auto ds = random_doubles(100000, 7);
	std::sort(ds.begin(), ds.end(), [](double a, double b) { return a > b; });
	double sum = std::accumulate(ds.begin(), ds.end(), 0.0);
	std::printf("doubles max %.17g sum %.17g\n", ds.front(), sum);
	std::vector<long> ps(10);
	std::partial_sum(v.begin(), v.begin() + 10, ps.begin());
	std::printf("partial sums end %ld, gcd %d lcm %d\n", ps.back(), std::gcd(84, 36), std::lcm(4, 6));
	std::vector<int> perm{1, 2, 3, 4};
	int perms = 0;
	do
		perms++;
	while (std::next_permutation(perm.begin(), perm.end()));
	std::printf("permutations %d\n", perms);
	return 0;
}
