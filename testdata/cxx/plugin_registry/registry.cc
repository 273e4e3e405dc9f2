#include "registry.h"
#include <cstdio>
#include <cstring>
Plugin::~Plugin() {}
static Entry *head; // zero-initialised before any dynamic initialiser runs
Entry *registry() { return head; }
int register_plugin(const char *key, Factory f)
{
	std::printf("register %s\n", key);
	Entry **p = &head;
	while (*p && std::strcmp((*p)->key, key) < 0)
		p = &(*p)->next;
	*p = new Entry{key, f, *p};
	return 1;
}
Factory lookup(const char *key)
{
	for (Entry *e = head; e; e = e->next)
		if (std::strcmp(e->key, key) == 0)
			return e->make;
	return nullptr;
}
