// std::string, vector, map, unordered_map, set, shared_ptr/weak_ptr/unique_ptr across objects.
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

std::vector<std::string> split_words(const std::string &text);
std::unordered_map<std::string, int> count_words(const std::vector<std::string> &ws);
std::map<int, std::vector<std::string>, std::greater<int>> by_count(const std::unordered_map<std::string, int> &m);
struct Node;
std::shared_ptr<Node> build_tree(int depth, int fan, const std::string &prefix);
std::string path_to_root(const std::shared_ptr<Node> &n);
std::shared_ptr<Node> deepest(const std::shared_ptr<Node> &n);
int live_nodes();

static const char text[] =
	"It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
	"foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, "
	"it was the season of Darkness, it was the spring of hope, it was the winter of despair.";

struct Freer {
	void operator()(int *p) const
	{
		std::printf("custom deleter frees %d\n", *p);
		delete p;
	}
};

int main()
{
	auto ws = split_words(text);
	auto counts = count_words(ws);
	std::printf("%zu words, %zu distinct\n", ws.size(), counts.size());
	for (auto &kv : by_count(counts)) {
		std::printf("%2d:", kv.first);
		for (auto &w : kv.second)
			std::printf(" %s", w.c_str());
		std::printf("\n");
	}
	std::set<std::string> uniq(ws.begin(), ws.end());
	std::string joined;
	for (auto &w : uniq)
		joined += (joined.empty() ? "" : ",") + w;
	std::printf("set: %s\n", joined.c_str());
	std::string s(1000, 'x');
	s.replace(10, 980, "<middle>");
	s += std::to_string(3.5) + std::to_string(-42);
	std::printf("string: %s (size %zu, find %zu)\n", s.c_str(), s.size(), s.find("middle"));
	{
		auto root = build_tree(4, 3, "r");
		std::printf("live nodes %d\n", live_nodes());
		auto d = deepest(root);
		std::printf("deepest: %s (use_count %ld)\n", path_to_root(d).c_str(), d.use_count());
	}
	std::printf("live nodes after scope %d\n", live_nodes());
	std::unique_ptr<int, Freer> up(new int(99));
	std::shared_ptr<int> sp(new int(7), [](int *p) {
		std::printf("lambda deleter frees %d\n", *p);
		delete p;
	});
	auto sp2 = sp;
	std::printf("shared use_count %ld\n", sp.use_count());
	return 0;
}
