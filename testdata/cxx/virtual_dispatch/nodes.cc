#include "expr.h"
#include <cstdio>
Expr::~Expr() {}
double Num::eval() const { return v; }
std::string Num::str() const
{
	char b[32];
	std::snprintf(b, sizeof b, "%g", v);
	return b;
}
Num *Num::clone() const { return new Num(v); }
double Bin::eval() const
{
	double a = l->eval(), b = r->eval();
	switch (op) {
	case '+': return a + b;
	case '-': return a - b;
	case '*': return a * b;
	default: return a / b;
	}
}
std::string Bin::str() const { return "(" + l->str() + " " + op + " " + r->str() + ")"; }
Bin *Bin::clone() const { return new Bin(op, l->clone(), r->clone()); }
int Bin::depth() const { return 1 + std::max(l->depth(), r->depth()); }
StrFn str_member() { return &Expr::str; }
double (Expr::*eval_member())() const { return &Expr::eval; }
int make_fruit(int n)
{
	for (int i = 0; i < n; i++)
		Pear p;
	return Counter<Pear>::made;
}
