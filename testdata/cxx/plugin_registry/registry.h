#pragma once
// Deliberately light on headers: every archive member includes this.

struct Plugin {
	virtual ~Plugin();
	virtual const char *name() const = 0;
	virtual long apply(long x) const = 0;
};

using Factory = Plugin *(*)();
struct Entry {
	const char *key;
	Factory make;
	Entry *next;
};
Entry *registry();                          // sorted by key
Factory lookup(const char *key);            // null if absent
int register_plugin(const char *key, Factory f);

// Archive members register themselves from a static initialiser; main references an
// anchor in each member it wants, so that the member is pulled from the archive.
#define REGISTER_PLUGIN(cls, key)                        \
	static Plugin *make_##cls() { return new cls; } \
	int anchor_##cls = register_plugin(key, make_##cls)
