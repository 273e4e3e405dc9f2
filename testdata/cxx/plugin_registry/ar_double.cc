#include "registry.h"
namespace {
struct Double : Plugin {
	const char *name() const override { return "double"; }
	long apply(long x) const override { return x*2; }
};
} // namespace
REGISTER_PLUGIN(Double, "double");
