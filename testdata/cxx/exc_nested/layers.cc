#include <exception>
#include <stdexcept>
#include <string>
#include <cstdio>

void open_file(const std::string &name)
{
	throw std::runtime_error("cannot open '" + name + "'");
}

void load_config(const std::string &name)
{
	try {
		open_file(name);
	} catch (...) {
		std::throw_with_nested(std::runtime_error("load_config failed"));
	}
}

void start_app()
{
	try {
		load_config("app.conf");
	} catch (...) {
		std::throw_with_nested(std::logic_error("start_app failed"));
	}
}

// Rethrow with `throw;` through a frame in this object.
int rethrow_count;
void relay(void (*f)())
{
	try {
		f();
	} catch (...) {
		rethrow_count++;
		throw;
	}
}
