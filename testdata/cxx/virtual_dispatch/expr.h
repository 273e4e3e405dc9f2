#pragma once
#include <memory>
#include <string>

struct Expr {
	virtual ~Expr();
	virtual double eval() const = 0;
	virtual std::string str() const = 0;
	virtual Expr *clone() const = 0; // covariant overrides
	virtual int depth() const { return 1; }
};
struct Num : Expr {
	double v;
	explicit Num(double v) : v(v) {}
	double eval() const override;
	std::string str() const override;
	Num *clone() const override;
};
struct Bin : Expr {
	char op;
	std::unique_ptr<Expr> l, r;
	Bin(char op, Expr *l, Expr *r) : op(op), l(l), r(r) {}
	double eval() const override;
	std::string str() const override;
	Bin *clone() const override;
	int depth() const override;
};
// Curiously recurring template: static dispatch, instantiated in two objects.
template <typename D> struct Counter {
	static inline int made = 0;
	Counter() { made++; }
	const char *kind() const { return static_cast<const D *>(this)->kind_name(); }
};
struct Apple : Counter<Apple> {
	const char *kind_name() const { return "apple"; }
};
struct Pear : Counter<Pear> {
	const char *kind_name() const { return "pear"; }
};

Expr *parse(const char *&s);
int make_fruit(int n);
// Pointer to (virtual) member functions handed across objects.
using StrFn = std::string (Expr::*)() const;
StrFn str_member();
double (Expr::*eval_member())() const;
