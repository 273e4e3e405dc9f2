// RTTI across objects: dynamic_cast (down, cross, to virtual base, to void*), typeid
// names and equality, vtables defined in several objects, multiple and virtual inheritance.
#include "zoo.h"
#include <cstdio>
#include <cstring>
#include <typeindex>
#include <map>
#include <string>

static void describe(Named *n)
{
	std::printf("%-7s typeid=%s", n->name(), typeid(*n).name());
	if (Animal *a = dynamic_cast<Animal *>(n))
		std::printf(" animal(legs=%d sounds=%d)", a->legs, a->sound_count());
	if (Swimmer *s = dynamic_cast<Swimmer *>(n))
		std::printf(" swimmer(dive=%d)", s->dive());
	if (Flyer *f = dynamic_cast<Flyer *>(n))
		std::printf(" flyer(alt=%d wings=%d)", f->altitude(), f->wings);
	if (Duck *d = dynamic_cast<Duck *>(n)) {
		// Cross-cast from one base to its sibling and back through the virtual base.
		Swimmer *s = d;
		Animal *a = dynamic_cast<Animal *>(s);
		Flyer *f = dynamic_cast<Flyer *>(a);
		std::printf(" cross(ok=%d)", a == static_cast<Animal *>(d) && f == static_cast<Flyer *>(d));
		std::printf(" void*=%d", dynamic_cast<void *>(s) == (void *)d);
	}
	std::printf(" is_pebble=%d\n", typeid(*n) == typeid(Pebble));
}

int main()
{
	std::printf("typeid(Duck) same object in both TUs: %d, equal: %d\n", &ti_duck_a() == &ti_duck_b(),
	            ti_duck_a() == ti_duck_b());
	std::printf("typeid(Pebble) equal across TUs: %d, name %s\n", ti_pebble_a() == ti_pebble_b(),
	            ti_pebble_a().name());
	std::printf("typeid(Duck) == main's: %d, hash equal: %d\n", ti_duck_a() == typeid(Duck),
	            ti_duck_b().hash_code() == typeid(Duck).hash_code());
	std::printf("before is a strict order: %d\n",
	            typeid(Duck).before(typeid(Fish)) != typeid(Fish).before(typeid(Duck)));
	Named *all[] = {make_a(0), make_a(1), make_a(2), make_b(0), make_b(1)};
	std::map<std::type_index, int> counts;
	for (Named *n : all) {
		describe(n);
		counts[typeid(*n)]++;
	}
	std::map<std::string, int> byname;
	for (auto &kv : counts)
		byname[kv.first.name()] = kv.second;
	for (auto &kv : byname)
		std::printf("%s x%d\n", kv.first.c_str(), kv.second);
	Flyer *f = as_flyer_b(all[0]);
	std::printf("as_flyer_b(duck): alt=%d, back to Named: %s\n", f->altitude(), dynamic_cast<Named *>(f)->name());
	std::printf("as_flyer_b(fish): %p\n", (void *)as_flyer_b(all[2]));
	for (Named *n : all)
		delete n;
	return 0;
}
