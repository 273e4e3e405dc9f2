#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include "ops.h"

/* writable table: R_X86_64_64 / RELATIVE in .data */
binop data_ops[] = {op_add, op_sub, op_mul, op_div};
/* const table with relocations: .data.rel.ro when PIC, .rodata otherwise */
static binop const ro_ops[] = {op_mul, op_add, op_div, op_sub};
static const struct {
	const char *name;
	int (*fn)(int);
} libc_fns[] = {{"abs", abs}, {"toupper", toupper}, {"tolower", tolower}, {"isdigit", isdigit}};

int main(void)
{
	for (int i = 0; i < 4; i++)
		printf("data_ops[%d](20,5)=%d ro_ops[%d](20,5)=%d other[%d](20,5)=%d\n", i, data_ops[i](20, 5), i, ro_ops[i](20, 5),
		       i, other_table[i](20, 5));
	data_ops[0] = other_table[3];
	printf("patched data_ops[0](20,5)=%d\n", data_ops[0](20, 5));
	for (int i = 0; i < 4; i++)
		printf("%s('a')=%d %s(-7)=%d\n", libc_fns[i].name, libc_fns[i].fn('a') != 0, libc_fns[i].name, libc_fns[i].fn(-7) == -7 ? -7 : libc_fns[i].fn(-7) != 0);
	printf("apply_all=%d\n", apply_all(3, 4));
	return 0;
}
