// Virtual dispatch through vtables defined in several objects, covariant returns,
// pointers to virtual member functions, CRTP with inline static members.
#include "expr.h"
#include <cstdio>
#include <vector>

int main()
{
	const char *srcs[] = {"+ 1 2", "* + 1 2 - 10 4", "/ 1 * 4 + 0.5 0.25", "- * 2 2 + 1 / 9 3", "7"};
	std::vector<std::unique_ptr<Expr>> all;
	for (const char *src : srcs) {
		const char *s = src;
		all.emplace_back(parse(s));
	}
	StrFn sf = str_member();
	double (Expr::*ef)() const = eval_member();
	for (auto &e : all) {
		std::unique_ptr<Expr> c(e->clone());
		std::printf("%-28s = %-8g depth %d clone %s\n", (e.get()->*sf)().c_str(), ((*c).*ef)(), c->depth(),
		            c->str() == e->str() ? "same" : "DIFFERENT");
	}
	Bin *b = static_cast<Bin *>(all[1].get());
	Bin *bc = b->clone(); // covariant: Bin*, no cast
	std::printf("covariant clone op %c\n", bc->op);
	delete bc;
	Apple a1, a2;
	std::printf("%s %s\n", a1.kind(), Pear().kind());
	int pears = make_fruit(3);
	std::printf("apples %d pears %d\n", Counter<Apple>::made, pears);
	std::printf("pears seen here %d\n", Counter<Pear>::made);
	return 0;
}
