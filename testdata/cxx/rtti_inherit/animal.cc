#include "zoo.h"
Named::~Named() {}
int Animal::sound_count() const { return legs; }
const char *Animal::name() const { return "animal"; }
int Swimmer::dive() const { return depth; }
const char *Swimmer::name() const { return "swimmer"; }
const std::type_info &ti_duck_a() { return typeid(Duck); }
const std::type_info &ti_pebble_a() { return typeid(Pebble); }
Named *make_a(int i)
{
	switch (i) {
	case 0: return new Duck;
	case 1: return new Pebble;
	default: return new Fish;
	}
}
