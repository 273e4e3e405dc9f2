// A C++ plugin: static objects built at dlopen and destroyed at dlclose (before its
// .fini_array), a function-local static registered with the plugin's __dso_handle, classes
// whose vtables and typeinfo live here, exceptions thrown to the host, thread_local objects.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include "cxx_iface.h"

struct Noisy {
	std::string name;
	explicit Noisy(const char *n) : name(n) { std::printf("plugin: construct %s\n", name.c_str()); }
	~Noisy() { std::printf("plugin: destroy %s\n", name.c_str()); }
};

static Noisy global_one("global_one");
static int loads_seen = 0;

static Noisy &lazy_static() {
	static Noisy n("function_local");
	return n;
}

struct PluginError : std::runtime_error {
	int code;
	PluginError(const char *what, int c) : std::runtime_error(what), code(c) {}
};

class Square : public Shape {
	double side;
public:
	explicit Square(double s) : side(s) {}
	double area() const override { return side * side; }
	std::string name() const override { return "square"; }
};

class Circle : public Shape {
	double r;
public:
	explicit Circle(double r) : r(r) {}
	double area() const override { return 3.0 * r * r; }
	std::string name() const override { return "circle"; }
};

struct PerThread {
	int id;
	PerThread() : id(0) {}
	~PerThread() { if (id) std::printf("plugin: thread_local %d destroyed\n", id); }
};
static thread_local PerThread tl;

extern "C" {
Shape *make_shape(const char *kind, double v) {
	lazy_static();
	loads_seen++;
	if (std::string(kind) == "square")
		return new Square(v);
	if (std::string(kind) == "circle")
		return new Circle(v);
	throw PluginError(("unknown shape " + std::string(kind)).c_str(), 42);
}

int shape_is_square(Shape *s) { return dynamic_cast<Square *>(s) != nullptr; }

int thread_work(int id) {
	int r = 0;
	std::thread t([&] {
		tl.id = id;
		r = id * 2;
	});
	t.join();
	return r;
}

void throw_std() { throw std::out_of_range("plugin index out of range"); }

int plugin_loads_seen() { return loads_seen; }
}

__attribute__((destructor)) static void plugin_fini() { std::printf("plugin: fini_array\n"); }
