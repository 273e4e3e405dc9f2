#include <fstream>
#include <string>
#include <vector>
#include <cstdint>

bool write_records(const char *path, const std::vector<std::string> &lines)
{
	std::ofstream out(path);
	if (!out)
		return false;
	for (size_t i = 0; i < lines.size(); i++)
		out << i << ':' << lines[i] << '\n';
	return bool(out);
}

std::vector<std::string> read_records(const char *path)
{
	std::ifstream in(path);
	std::vector<std::string> r;
	std::string line;
	while (std::getline(in, line))
		r.push_back(line);
	return r;
}

void write_binary(const char *path, int n)
{
	std::ofstream out(path, std::ios::binary);
	for (int32_t i = 0; i < n; i++)
		out.write(reinterpret_cast<const char *>(&i), sizeof i);
}

int32_t read_at(const char *path, int idx)
{
	std::ifstream in(path, std::ios::binary);
	in.seekg(idx * (std::streamoff)sizeof(int32_t));
	int32_t v = -1;
	in.read(reinterpret_cast<char *>(&v), sizeof v);
	return in ? v : -1;
}
