#pragma once
#include <cstdio>

// Instantiated in every object that uses it: COMDAT groups, one survives.
template <typename T> T twice(T x) { return x + x; }

template <typename T> struct Registry {
	static int count;            // static data member of a class template
	static int bump() { return ++count; }
};
template <typename T> int Registry<T>::count = 100;

inline int inline_counter = 0;  // C++17 inline variable
inline int next_id() { return ++inline_counter; }

// Function-local static in an inline function: one object, one guard variable.
struct Once {
	int id;
	Once() : id(next_id()) { std::printf("Once constructed (id %d)\n", id); }
};
inline Once &the_once()
{
	static Once o;
	return o;
}

template <int N> struct Fib {
	static const long value;
};
template <int N> const long Fib<N>::value = Fib<N - 1>::value + Fib<N - 2>::value;
template <> inline const long Fib<0>::value = 0;
template <> inline const long Fib<1>::value = 1;

// Address of the instances as seen by one object.
struct Addrs {
	int (*twice_int)(int);
	double (*twice_double)(double);
	int *count_int;
	int *count_char;
	int *inline_var;
	Once *once;
	int (*next)();
};
Addrs addrs_a();
Addrs addrs_b();
Addrs addrs_c();
void work_a();
void work_b();
