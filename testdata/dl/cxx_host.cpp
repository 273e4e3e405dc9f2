// Loads a C++ plugin with dlopen twice: objects and vtables from the plugin, exceptions
// (a plugin-defined type, caught through its std::exception base, and a standard one) thrown
// across the boundary, dynamic_cast in the plugin, thread_local destructors, and static
// destructors at dlclose before the plugin's .fini_array, then fresh statics on reload.
#include <dlfcn.h>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include "cxx_iface.h"

int main(int argc, char **argv) {
	const char *path = argc > 1 ? argv[1] : "./libcxxplugin.so";
	for (int round = 0; round < 2; round++) {
		std::printf("-- round %d\n", round);
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) { std::printf("dlopen: %s\n", dlerror()); return 1; }
		auto make = (Shape * (*)(const char *, double)) dlsym(h, "make_shape");
		auto is_square = (int (*)(Shape *))dlsym(h, "shape_is_square");
		auto work = (int (*)(int))dlsym(h, "thread_work");
		auto throw_std = (void (*)())dlsym(h, "throw_std");
		auto seen = (int (*)())dlsym(h, "plugin_loads_seen");
		{
			std::unique_ptr<Shape> a(make("square", 3)), b(make("circle", 2));
			std::printf("%s %.1f square? %d\n", a->name().c_str(), a->area(), is_square(a.get()));
			std::printf("%s %.1f square? %d\n", b->name().c_str(), b->area(), is_square(b.get()));
		}
		try {
			make("hexagon", 1);
		} catch (const std::exception &e) {
			std::printf("caught from plugin: %s\n", e.what());
		}
		try {
			throw_std();
		} catch (const std::out_of_range &e) {
			std::printf("caught std::out_of_range: %s\n", e.what());
		}
		std::printf("thread_work: %d\n", work(round + 5));
		std::printf("loads seen this load: %d\n", seen());
		std::printf("dlclose: %d\n", dlclose(h));
	}
	return 0;
}
