#include <string>
#include <vector>
int intern(const std::string &s);
extern const std::vector<std::string> colours;

// Runs before or after names.o's initialisers depending on link order; intern() is safe
// either way, reading `colours` is only safe because names.o comes first.
int id_apple = intern("apple");
int id_pear = intern("pear");
int id_apple2 = intern("apple");
size_t colour_count = colours.size();
std::string longest = [] {
	std::string l;
	for (auto &c : colours)
		if (c.size() > l.size())
			l = c;
	return l;
}();
