// Exceptions thrown in one object (and in an archive member) and caught in another.
#include "errors.h"
#include <cstdio>
#include <cstring>

struct Tracer {
	const char *n;
	Tracer(const char *n) : n(n) { std::printf("  enter %s\n", n); }
	~Tracer() { std::printf("  leave %s\n", n); }
};

static int thrower_cb(int x)
{
	Tracer t("thrower_cb");
	if (x == 1)
		throw AppError("from callback", 77);
	if (x == 2)
		throw IoError("io from callback");
	if (x == 3)
		return decode("12x4");
	return x * 10;
}

int main()
{
	try {
		throw_app(42);
	} catch (const std::exception &e) {
		const AppError *a = dynamic_cast<const AppError *>(&e);
		std::printf("caught std::exception '%s' app=%d code=%d\n", e.what(), a != nullptr, a ? a->code : -1);
	}
	try {
		throw_io("disk on fire");
	} catch (AppError &e) {
		std::printf("caught AppError& kind=%s what=%s code=%d\n", e.kind(), e.what(), e.code);
	}
	try {
		throw_plain(9);
	} catch (Plain p) {
		std::printf("caught Plain by value v=%d\n", p.v);
	}
	try {
		throw_int(-3);
	} catch (long) {
		std::printf("WRONG: caught long\n");
	} catch (int i) {
		std::printf("caught int %d\n", i);
	}
	try {
		throw_cstr();
	} catch (const char *s) {
		std::printf("caught const char* '%s'\n", s);
	}
	for (const char *s : {"1234", "98a7", "x"}) {
		try {
			std::printf("decode(%s) = %d\n", s, decode(s));
		} catch (const CodecError &e) {
			std::printf("decode(%s): %s at offset %d (%s, code %d)\n", s, e.what(), e.offset, e.kind(), e.code);
		}
	}
	for (int i = 0; i <= 3; i++) {
		try {
			int r = call_and_translate(thrower_cb, i);
			std::printf("call_and_translate(%d) = %d\n", i, r);
		} catch (const IoError &e) {
			std::printf("call_and_translate(%d): IoError '%s'\n", i, e.what());
		} catch (...) {
			std::printf("call_and_translate(%d): unknown\n", i);
		}
	}
	int caught = 0;
	for (int i = 0; i < 10000; i++) {
		try {
			if (i % 3 == 0)
				throw_app(i);
			throw_int(i);
		} catch (const AppError &e) {
			caught += e.code;
		} catch (int v) {
			caught -= v;
		}
	}
	std::printf("loop total %d\n", caught);
	return 0;
}
