// std::function and lambdas passed between objects: captures by value and reference,
// mutable lambdas, recursion through std::function, bind, member pointers, sort predicates.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

void add_stage(const std::string &name, std::function<int(int)> s);
int run_pipeline(int x, const std::function<void(const std::string &, int)> &trace);
std::function<int(int)> make_adder(int n);
std::function<int(int)> compose(std::function<int(int)> f, std::function<int(int)> g);
long fold(const std::vector<int> &v, long init, const std::function<long(long, int)> &op);

struct Scaler {
	int k;
	int scale(int x) const { return x * k; }
};

static int square(int x) { return x * x; }

int main()
{
	int calls = 0;
	Scaler sc{3};
	add_stage("add5", make_adder(5));
	add_stage("square", square);
	add_stage("scale3", std::bind(&Scaler::scale, &sc, std::placeholders::_1));
	add_stage("count", [&calls](int x) {
		calls++;
		return x - 1;
	});
	add_stage("mutable", [n = 0](int x) mutable { return x + ++n; });
	add_stage("composed", compose(make_adder(1), [](int x) { return x * 2; }));
	for (int i = 0; i < 3; i++) {
		int r = run_pipeline(i, [](const std::string &name, int v) { std::printf("  %s -> %d\n", name.c_str(), v); });
		std::printf("pipeline(%d) = %d\n", i, r);
	}
	std::printf("counted calls %d\n", calls);

	std::function<long(int)> fact = [&fact](int n) -> long { return n <= 1 ? 1 : n * fact(n - 1); };
	std::printf("fact(20) = %ld\n", fact(20));

	std::vector<int> v(20);
	std::iota(v.begin(), v.end(), 1);
	std::printf("sum %ld product-mod %ld\n", fold(v, 0, std::plus<long>()),
	            fold(v, 1, [](long a, int x) { return a * x % 1000003; }));
	std::vector<std::string> names{"delta", "alpha", "charlie", "bravo", "echo", "ab"};
	std::sort(names.begin(), names.end(), [](const std::string &a, const std::string &b) {
		return a.size() != b.size() ? a.size() < b.size() : a < b;
	});
	for (auto &n : names)
		std::printf("%s ", n.c_str());
	std::printf("\n");
	std::function<int(int)> empty;
	try {
		empty(1);
	} catch (const std::bad_function_call &e) {
		std::printf("bad_function_call: %s\n", e.what());
	}
	auto cmp = std::mem_fn(&std::string::size);
	std::printf("mem_fn size %zu, target_type %s\n", cmp(names[0]),
	            make_adder(1).target_type() == typeid(void) ? "void" : "lambda");
	return 0;
}
