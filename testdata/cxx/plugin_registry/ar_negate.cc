#include "registry.h"
namespace {
struct Negate : Plugin {
	const char *name() const override { return "negate"; }
	long apply(long x) const override { return -x; }
};
} // namespace
REGISTER_PLUGIN(Negate, "negate");
