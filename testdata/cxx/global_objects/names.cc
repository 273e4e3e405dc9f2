#include <cstdio>
#include <map>
#include <string>
#include <vector>

// Construct-on-first-use: safe to call from other objects' static initialisers.
std::map<std::string, int> &symbol_table()
{
	static std::map<std::string, int> t;
	return t;
}

int intern(const std::string &s)
{
	auto &t = symbol_table();
	auto it = t.find(s);
	if (it != t.end())
		return it->second;
	int id = (int)t.size();
	t.emplace(s, id);
	return id;
}

// A large array of global strings: 512 constructor calls and 512 destructor calls.
std::string many[512];
static struct Filler {
	Filler()
	{
		for (int i = 0; i < 512; i++)
			many[i] = "entry-" + std::to_string(i * i);
	}
} filler;

extern const std::vector<std::string> colours;
const std::vector<std::string> colours = {"red", "green", "blue"};
