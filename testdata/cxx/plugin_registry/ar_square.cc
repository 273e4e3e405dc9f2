#include "registry.h"
namespace {
struct Square : Plugin {
	const char *name() const override { return "square"; }
	long apply(long x) const override { return x*x; }
};
} // namespace
REGISTER_PLUGIN(Square, "square");
