#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

std::vector<std::string> split_words(const std::string &text)
{
	std::vector<std::string> out;
	std::string cur;
	for (char c : text) {
		if (std::isalpha((unsigned char)c)) {
			cur += (char)std::tolower((unsigned char)c);
		} else if (!cur.empty()) {
			out.push_back(std::move(cur));
			cur.clear();
		}
	}
	if (!cur.empty())
		out.push_back(cur);
	return out;
}

std::unordered_map<std::string, int> count_words(const std::vector<std::string> &ws)
{
	std::unordered_map<std::string, int> m;
	for (const auto &w : ws)
		m[w]++;
	return m;
}

std::map<int, std::vector<std::string>, std::greater<int>> by_count(const std::unordered_map<std::string, int> &m)
{
	std::map<int, std::vector<std::string>, std::greater<int>> out;
	for (const auto &kv : m)
		out[kv.second].push_back(kv.first);
	for (auto &kv : out)
		std::sort(kv.second.begin(), kv.second.end());
	return out;
}
