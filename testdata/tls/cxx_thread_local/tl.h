#pragma once
#include <string>
#include <vector>

// Dynamic initialisation: accessed through the TLS wrapper function _ZTW..., which
// calls the init function _ZTH... (a weak reference from other objects).
extern thread_local std::string tl_label;
extern thread_local std::vector<int> tl_history;
extern thread_local int tl_counter; // constant initialisation: direct access

// COMDAT thread-locals: defined in every object that uses them, one instance per thread.
inline thread_local int tl_inline = 5;
template <typename T> struct PerThread {
	static thread_local T value;
};
template <typename T> thread_local T PerThread<T>::value = T(3);
template <typename T> inline thread_local T tl_var = T(4);

struct Summary {
	std::string label;
	size_t history;
	int counter, inl, pt_int;
	long var_long;
	const void *addr_inline, *addr_pt, *addr_var;
};
Summary summarise_a();
Summary summarise_b();
void touch_b(int n);
