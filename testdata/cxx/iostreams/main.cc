// iostreams: cin from stdin, cout/cerr, string streams, iomanip, custom operator<<.
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

struct Row {
	std::string name;
	int qty;
	double price;
};
std::string format_table(const std::vector<Row> &rows);
void numbers(std::ostream &os);

int main()
{
	std::vector<Row> rows;
	std::string line;
	int lineno = 0;
	std::map<std::string, int> words;
	while (std::getline(std::cin, line)) {
		lineno++;
		if (line.empty() || line[0] == '#')
			continue;
		std::istringstream in(line);
		Row r;
		if (!(in >> r.name >> r.qty >> r.price)) {
			std::cerr << "line " << lineno << ": cannot parse '" << line << "'\n";
			continue;
		}
		std::string extra;
		while (in >> extra)
			words[extra]++;
		rows.push_back(r);
	}
	std::cout << format_table(rows);
	for (auto &kv : words)
		std::cout << kv.first << '=' << kv.second << ' ';
	std::cout << std::endl;
	numbers(std::cout);
	std::ostringstream err;
	numbers(err);
	std::cerr << "numbers to cerr, " << err.str().size() << " bytes:\n" << err.str();
	std::clog << "clog works" << std::endl;
	std::stringstream ss("10 20 x 30");
	int a, sum = 0;
	while (ss >> a)
		sum += a;
	ss.clear();
	std::string rest;
	ss >> rest;
	std::cout << "sum " << sum << " then '" << rest << "' state " << ss.good() << '\n';
	std::cout << std::quoted("say \"hi\"") << ' ' << std::put_money(12345) << '\n';
	return rows.size() == 4 ? 0 : 1;
}
