#include "zoo.h"
Duck::Duck() { legs = 2; depth = 1; wings = 2; }
const char *Duck::name() const { return "duck"; }
int Duck::altitude() const { return 30; }
Flyer::~Flyer() {}
const char *Fish::name() const { return "fish"; }
int Fish::dive() const { return 200; }
const std::type_info &ti_duck_b() { return typeid(Duck); }
const std::type_info &ti_pebble_b() { return typeid(Pebble); }
Named *make_b(int i) { return i ? (Named *)new Pebble : (Named *)new Fish; }
Flyer *as_flyer_b(Named *n) { return dynamic_cast<Flyer *>(n); }
