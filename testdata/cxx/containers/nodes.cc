#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Node {
	std::string name;
	std::vector<std::shared_ptr<Node>> children;
	std::weak_ptr<Node> parent;
	static int live;
	Node(std::string n) : name(std::move(n)) { live++; }
	~Node() { live--; }
};
int Node::live;

std::shared_ptr<Node> build_tree(int depth, int fan, const std::string &prefix)
{
	auto n = std::make_shared<Node>(prefix);
	if (depth > 0)
		for (int i = 0; i < fan; i++) {
			auto c = build_tree(depth - 1, fan, prefix + "." + std::to_string(i));
			c->parent = n;
			n->children.push_back(c);
		}
	return n;
}

std::string path_to_root(const std::shared_ptr<Node> &n)
{
	std::string p = n->name;
	for (auto q = n->parent.lock(); q; q = q->parent.lock())
		p += " <- " + q->name;
	return p;
}

int live_nodes() { return Node::live; }

std::shared_ptr<Node> deepest(const std::shared_ptr<Node> &n)
{
	return n->children.empty() ? n : deepest(n->children.back());
}
