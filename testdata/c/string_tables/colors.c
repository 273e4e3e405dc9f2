#include <stddef.h>
struct color { const char *name; unsigned rgb; const char *alias; };
const struct color colors[] = {
	{"red", 0xff0000, "crimson"}, {"green", 0x00ff00, NULL}, {"blue", 0x0000ff, "navy"}, {"white", 0xffffff, "snow" + 1},
};
const int ncolors = sizeof colors / sizeof colors[0];

static const char *const errors[] = {
	[0] = "ok", [1] = "not found", [3] = "permission denied",
};

const char *lookup_error(int code)
{
	if (code < 0 || code >= (int)(sizeof errors / sizeof errors[0]) || !errors[code])
		return "unknown";
	return errors[code];
}
