// Calls into libstdc++ that throw its own exception types.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

int vector_at(const std::vector<int> &v, size_t i) { return v.at(i); }
int map_at(const std::map<std::string, int> &m, const std::string &k) { return m.at(k); }
std::string substr(const std::string &s, size_t pos) { return s.substr(pos, 2); }
int parse(const std::string &s) { return std::stoi(s); }
long parse_long(const std::string &s) { return std::stol(s); }

void *huge_new(size_t n)
{
	return new char[n];
}

void grow(std::vector<int> &v, size_t n) { v.reserve(n); }
