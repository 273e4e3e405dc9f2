#include <functional>
#include <string>
#include <vector>

using Stage = std::function<int(int)>;

static std::vector<std::pair<std::string, Stage>> stages;

void add_stage(const std::string &name, Stage s) { stages.emplace_back(name, std::move(s)); }

int run_pipeline(int x, const std::function<void(const std::string &, int)> &trace)
{
	for (auto &st : stages) {
		x = st.second(x);
		trace(st.first, x);
	}
	return x;
}

std::function<int(int)> make_adder(int n)
{
	return [n](int x) { return x + n; };
}

std::function<int(int)> compose(std::function<int(int)> f, std::function<int(int)> g)
{
	return [f, g](int x) { return g(f(x)); };
}

// Calls through an std::function target that lives in another object.
long fold(const std::vector<int> &v, long init, const std::function<long(long, int)> &op)
{
	for (int x : v)
		init = op(init, x);
	return init;
}
