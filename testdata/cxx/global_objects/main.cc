// Global objects with non-trivial constructors across objects; construct-on-first-use.
#include <cstdio>
#include <map>
#include <string>

std::map<std::string, int> &symbol_table();
int intern(const std::string &s);
extern int id_apple, id_pear, id_apple2;
extern size_t colour_count;
extern std::string longest;
extern std::string many[512];

int main()
{
	std::printf("ids apple=%d pear=%d apple=%d, table %zu\n", id_apple, id_pear, id_apple2, symbol_table().size());
	std::printf("colours %zu longest %s\n", colour_count, longest.c_str());
	std::printf("many[0]=%s many[511]=%s\n", many[0].c_str(), many[511].c_str());
	size_t total = 0;
	for (auto &s : many)
		total += s.size();
	std::printf("total length %zu, intern(fig)=%d\n", total, intern("fig"));
	return 0;
}
