#include <stdio.h>
void emit_table(FILE *f)
{
	fprintf(f, "+-----+-------+\n");
	for (int i = 1; i <= 3; i++)
		fprintf(f, "| %3d | %5d |\n", i, i * i * i);
	fputs("+-----+-------+\n", f);
}
