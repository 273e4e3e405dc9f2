#pragma once
#include <string>
struct PerThread {
	std::string owner;
	int uses = 0;
	PerThread(const char *who);
	~PerThread();
};
extern thread_local PerThread tl_shared; // defined in tl.cc, dynamic init: wrapper call
extern thread_local int tl_plain;        // constant init: direct access
PerThread &tl_local_static(const char *who);
void set_name(const char *n);
const char *get_name();
