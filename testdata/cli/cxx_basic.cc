// A C++ source run directly: exceptions from libstdc++, RTTI, iostreams, threads.
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>
struct Base { virtual ~Base() {} virtual const char *name() const { return "base"; } };
struct Derived : Base { const char *name() const override { return "derived"; } };
int main() {
	std::vector<int> v{3, 1, 2};
	try { v.at(10); } catch (const std::out_of_range &) { std::cout << "out_of_range caught\n"; }
	Base *b = new Derived;
	std::cout << b->name() << " " << (dynamic_cast<Derived *>(b) != nullptr) << "\n";
	std::mutex m;
	int sum = 0;
	std::vector<std::thread> ts;
	for (int i = 0; i < 4; i++) ts.emplace_back([&, i] { std::lock_guard<std::mutex> l(m); sum += i; });
	for (auto &t : ts) t.join();
	std::cout << "sum " << sum << std::endl;
	delete b;
	return 3;
}
