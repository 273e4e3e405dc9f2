#pragma once
#include <typeinfo>

struct Named {
	virtual ~Named();
	virtual const char *name() const = 0;
};
struct Animal : virtual Named {
	int legs = 4;
	virtual int sound_count() const;
	const char *name() const override;
};
struct Swimmer : virtual Named {
	int depth = 10;
	virtual int dive() const;
	const char *name() const override;
};
struct Flyer {
	virtual ~Flyer();
	virtual int altitude() const { return 100; }
	int wings = 2;
};
// Diamond through the virtual base Named, plus a non-virtual second base.
struct Duck : Animal, Swimmer, Flyer {
	Duck();
	const char *name() const override;
	int altitude() const override;
};
struct Fish : Swimmer {
	const char *name() const override;
	int dive() const override;
};
// No key function: vtable and typeinfo are COMDAT in every object using them.
struct Pebble : Named {
	const char *name() const override { return "pebble"; }
};

// Each object reports the typeinfo it sees for these types.
const std::type_info &ti_duck_a();
const std::type_info &ti_pebble_a();
const std::type_info &ti_duck_b();
const std::type_info &ti_pebble_b();
Named *make_a(int i);
Named *make_b(int i);
Flyer *as_flyer_b(Named *n);
