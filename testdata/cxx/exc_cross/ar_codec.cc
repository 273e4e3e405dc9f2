#include "errors.h"
#include <cctype>

CodecError::CodecError(int off) : AppError("bad digit", 22), offset(off) {}
const char *CodecError::kind() const { return "CodecError"; }

int decode(const char *s)
{
	int v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			throw CodecError((int)(p - s));
		v = v * 10 + (*p - '0');
	}
	return v;
}
