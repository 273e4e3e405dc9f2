// Catching libstdc++'s exceptions (thrown inside libstdc++.so) in JIT'd code, by reference.
#include "shapes.h"
#include <cstdio>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>
#include <cstdint>

int vector_at(const std::vector<int> &v, size_t i);
int map_at(const std::map<std::string, int> &m, const std::string &k);
std::string substr(const std::string &s, size_t pos);
int parse(const std::string &s);
long parse_long(const std::string &s);
void *huge_new(size_t n);
void grow(std::vector<int> &v, size_t n);

int main()
{
	std::vector<int> v{1, 2, 3};
	try {
		std::printf("v.at(1) = %d\n", vector_at(v, 1));
		std::printf("v.at(10) = %d\n", vector_at(v, 10));
	} catch (const std::out_of_range &e) {
		std::printf("out_of_range: %s\n", e.what());
	}
	try {
		v.at(7) = 1; // inline in this object, throw helper in libstdc++
	} catch (std::logic_error &e) {
		std::printf("logic_error (out_of_range is-a): %s\n", e.what());
	}
	std::map<std::string, int> m{{"one", 1}, {"two", 2}};
	try {
		std::printf("m.at(two) = %d\n", map_at(m, "two"));
		map_at(m, "three");
	} catch (const std::out_of_range &e) {
		std::printf("map out_of_range: %s\n", e.what());
	}
	try {
		substr("hello", 99);
	} catch (const std::exception &e) {
		std::printf("substr: %s\n", e.what());
	}
	try {
		parse("forty-two");
	} catch (const std::invalid_argument &e) {
		std::printf("stoi invalid_argument: %s\n", e.what());
	}
	try {
		parse_long("99999999999999999999999");
	} catch (const std::out_of_range &e) {
		std::printf("stol out_of_range: %s\n", e.what());
	}
	try {
		void *p = huge_new(SIZE_MAX / 2);
		std::printf("huge new succeeded?! %p\n", p);
	} catch (const std::bad_alloc &e) {
		std::printf("bad_alloc: %s\n", e.what());
	}
	try {
		void *p = huge_new((size_t)1 << 46); // 64 TiB: fails in the allocator
		std::printf("64 TiB new succeeded?! %d\n", p != nullptr);
	} catch (std::bad_alloc &e) {
		std::printf("bad_alloc (64 TiB): %s\n", e.what());
	}
	try {
		std::vector<int> big;
		grow(big, big.max_size() + 1);
	} catch (const std::length_error &e) {
		std::printf("length_error: %s\n", e.what());
	}
	for (int i = 0; i < 2; i++) {
		Shape *s = make_shape(i);
		try {
			Circle &c = dynamic_cast<Circle &>(*s);
			std::printf("shape %d is a %s\n", i, c.name());
		} catch (const std::bad_cast &e) {
			std::printf("shape %d (%s): bad_cast: %s\n", i, s->name(), e.what());
		}
		try {
			Shape *null = i ? nullptr : s;
			std::printf("typeid: %s\n", typeid(*null).name());
		} catch (const std::bad_typeid &e) {
			std::printf("bad_typeid: %s\n", e.what());
		}
		delete s;
	}
	try {
		throw std::bad_array_new_length();
	} catch (const std::bad_alloc &e) {
		std::printf("bad_array_new_length as bad_alloc: %s\n", e.what());
	}
	try {
		int n = -1;
		volatile int vn = n;
		int *p = new int[vn];
		std::printf("new int[-1] = %p?!\n", (void *)p);
	} catch (const std::bad_array_new_length &e) {
		std::printf("new int[-1]: %s\n", e.what());
	}
	return 0;
}
