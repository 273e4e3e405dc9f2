// File streams in the (fresh) working directory: text and binary, seekg, append, errors.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

bool write_records(const char *path, const std::vector<std::string> &lines);
std::vector<std::string> read_records(const char *path);
void write_binary(const char *path, int n);
int read_at(const char *path, int idx);

int main()
{
	std::vector<std::string> lines{"alpha", "beta", "", "gamma delta"};
	std::printf("write: %d\n", write_records("records.txt", lines));
	{
		std::ofstream app("records.txt", std::ios::app);
		app << "appended\n";
	}
	for (auto &l : read_records("records.txt"))
		std::printf("[%s]\n", l.c_str());
	write_binary("ints.bin", 1000);
	std::printf("ints[0]=%d ints[777]=%d ints[1000]=%d\n", read_at("ints.bin", 0), read_at("ints.bin", 777),
	            read_at("ints.bin", 1000));
	std::ifstream missing("no/such/file");
	std::printf("missing: good=%d fail=%d\n", missing.good(), missing.fail());
	std::fstream f("rw.txt", std::ios::in | std::ios::out | std::ios::trunc);
	f << "0123456789";
	f.seekp(3);
	f << "abc";
	f.seekg(0);
	std::string s;
	f >> s;
	std::printf("rw: %s size %ld\n", s.c_str(), (long)f.tellg());
	std::remove("rw.txt");
	return 0;
}
