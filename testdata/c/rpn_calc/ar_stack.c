#include <stdio.h>
#include "rpn.h"

static double stack[64];
static int sp;
int stack_errors;

void push(double v)
{
	if (sp == 64) {
		stack_errors++;
		return;
	}
	stack[sp++] = v;
}

double pop(void)
{
	if (sp == 0) {
		stack_errors++;
		return 0;
	}
	return stack[--sp];
}

int depth(void) { return sp; }
void clear(void) { sp = 0; }
