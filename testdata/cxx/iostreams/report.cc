#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

struct Row {
	std::string name;
	int qty;
	double price;
};

std::ostream &operator<<(std::ostream &os, const Row &r)
{
	return os << std::left << std::setw(10) << r.name << std::right << std::setw(6) << r.qty << std::fixed
	          << std::setprecision(2) << std::setw(10) << r.price;
}

std::string format_table(const std::vector<Row> &rows)
{
	std::ostringstream os;
	double total = 0;
	for (const Row &r : rows) {
		os << r << '\n';
		total += r.qty * r.price;
	}
	os << std::string(26, '-') << '\n' << "total" << std::setw(21) << std::setprecision(3) << total << '\n';
	return os.str();
}

void numbers(std::ostream &os)
{
	os << std::hex << 255 << ' ' << std::showbase << 255 << ' ' << std::oct << 8 << std::dec << std::noshowbase
	   << ' ' << std::setfill('0') << std::setw(5) << 42 << std::setfill(' ') << '\n';
	os << std::scientific << std::setprecision(3) << 12345.678 << ' ' << std::defaultfloat << 0.1 + 0.2 << ' '
	   << std::setprecision(17) << 0.1 + 0.2 << '\n';
	os << std::boolalpha << true << ' ' << false << std::noboolalpha << ' ' << true << '\n';
	os << std::uppercase << std::hex << 0xbeefULL << std::nouppercase << std::dec << '\n';
}
