#include <math.h>
#include <string.h>
#include "rpn.h"

static double add(double a, double b) { return a + b; }
static double sub(double a, double b) { return a - b; }
static double mul(double a, double b) { return a * b; }
static double dvd(double a, double b) { return a / b; }
static double pw(double a, double b)
{
	double r = 1;
	for (int i = 0; i < (int)b; i++)
		r *= a;
	return r;
}

static const struct {
	const char *name;
	double (*fn)(double, double);
} ops[] = {{"+", add}, {"-", sub}, {"*", mul}, {"/", dvd}, {"^", pw}};

int apply_op(const char *tok)
{
	if (strcmp(tok, "dup") == 0) {
		double v = pop();
		push(v);
		push(v);
		return 1;
	}
	if (strcmp(tok, "swap") == 0) {
		double b = pop(), a = pop();
		push(b);
		push(a);
		return 1;
	}
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(tok, ops[i].name) == 0) {
			double b = pop(), a = pop();
			push(ops[i].fn(a, b));
			return 1;
		}
	}
	return 0;
}
