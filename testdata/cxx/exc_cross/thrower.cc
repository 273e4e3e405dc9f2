#include "errors.h"
#include <cstdio>

const char *AppError::kind() const { return "AppError"; }
const char *IoError::kind() const { return "IoError"; }

void throw_app(int code) { throw AppError("application error", code); }
void throw_io(const char *what) { throw IoError(what); }
void throw_plain(int v) { throw Plain{v}; }
void throw_int(int v) { throw v; }
void throw_cstr() { throw "a C string"; }

int call_and_translate(int (*fn)(int), int arg)
{
	try {
		return fn(arg);
	} catch (const IoError &) {
		throw; // rethrown unchanged
	} catch (const AppError &e) {
		std::printf("  translate: caught %s code %d, rethrowing as IoError\n", e.kind(), e.code);
		throw IoError(std::string("translated: ") + e.what());
	}
}
