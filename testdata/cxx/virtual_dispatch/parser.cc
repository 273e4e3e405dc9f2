#include "expr.h"
#include <cstdlib>
// Prefix notation: "+ 1 * 2 3".
Expr *parse(const char *&s)
{
	while (*s == ' ')
		s++;
	char c = *s;
	if (c == '+' || c == '-' || c == '*' || c == '/') {
		s++;
		Expr *l = parse(s);
		Expr *r = parse(s);
		return new Bin(c, l, r);
	}
	char *end;
	double v = std::strtod(s, &end);
	s = end;
	return new Num(v);
}
