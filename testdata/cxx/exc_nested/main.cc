// Rethrow, nested exceptions, exception_ptr handed from threads to main.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

void start_app();
void relay(void (*f)());
extern int rethrow_count;
std::vector<std::exception_ptr> run_workers(int n);
int worker_id(const std::exception &e);

static void print_nested(const std::exception &e, int level)
{
	std::printf("%*s%s\n", level * 2, "", e.what());
	try {
		std::rethrow_if_nested(e);
	} catch (const std::exception &inner) {
		print_nested(inner, level + 1);
	}
}

static void thrower() { throw std::overflow_error("overflow in thrower"); }
static void double_relay() { relay(thrower); }

struct Counted {
	static int live;
	Counted() { live++; }
	Counted(const Counted &) { live++; }
	~Counted() { live--; }
};
int Counted::live;

int main()
{
	try {
		start_app();
	} catch (const std::exception &e) {
		print_nested(e, 0);
	}
	try {
		relay(double_relay);
	} catch (const std::overflow_error &e) {
		std::printf("relayed: %s, rethrows %d\n", e.what(), rethrow_count);
	}

	std::exception_ptr saved;
	try {
		throw std::domain_error("saved for later");
	} catch (...) {
		saved = std::current_exception();
	}
	try {
		std::rethrow_exception(saved);
	} catch (const std::domain_error &e) {
		std::printf("rethrown from exception_ptr: %s\n", e.what());
	}
	auto made = std::make_exception_ptr(Counted());
	std::printf("live Counted after make_exception_ptr: %d\n", Counted::live);
	try {
		std::rethrow_exception(made);
	} catch (const Counted &) {
		std::printf("caught Counted, live %d\n", Counted::live);
	}
	made = nullptr;
	std::printf("live Counted after release: %d\n", Counted::live);

	auto errs = run_workers(10);
	for (size_t i = 0; i < errs.size(); i++) {
		if (!errs[i]) {
			std::printf("worker %zu: ok\n", i);
			continue;
		}
		try {
			std::rethrow_exception(errs[i]);
		} catch (const std::exception &e) {
			std::printf("worker %zu: %s (id %d)\n", i, e.what(), worker_id(e));
		} catch (int v) {
			std::printf("worker %zu: int %d\n", i, v);
		}
	}
	// Exception thrown while another is being handled.
	try {
		try {
			throw std::runtime_error("outer");
		} catch (const std::exception &outer) {
			try {
				throw std::runtime_error("inner");
			} catch (const std::exception &inner) {
				std::printf("handling %s inside %s, uncaught=%d\n", inner.what(), outer.what(),
				            std::uncaught_exceptions());
			}
			throw;
		}
	} catch (const std::exception &e) {
		std::printf("outer rethrown: %s\n", e.what());
	}
	return 0;
}
