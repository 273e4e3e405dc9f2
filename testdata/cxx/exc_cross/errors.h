// Exception types shared by the objects of exc_cross.
#pragma once
#include <stdexcept>
#include <string>

struct AppError : std::runtime_error {
	int code;
	AppError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
	virtual const char *kind() const; // key function in thrower.cc
};

struct IoError : AppError {
	IoError(const std::string &m) : AppError(m, 5) {}
	const char *kind() const override;
};

// Defined in the archive member ar_codec.cc: vtable and typeinfo live there.
struct CodecError : AppError {
	int offset;
	CodecError(int off);
	const char *kind() const override;
};

// No key function: typeinfo is emitted (COMDAT) in every object that throws or catches it.
struct Plain {
	int v;
};

void throw_app(int code);
void throw_io(const char *what);
void throw_plain(int v);
void throw_int(int v);
void throw_cstr();
int decode(const char *s); // ar_codec.cc: throws CodecError at the first non-digit
int call_and_translate(int (*fn)(int), int arg); // thrower.cc: catches AppError, rethrows as IoError
