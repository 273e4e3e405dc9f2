/* computed goto: label address tables (relocations in .data.rel.ro / .rodata) */
long computed_goto(const char *prog)
{
	static const void *const ops[] = {&&op_inc, &&op_dec, &&op_sq, &&op_plus, &&op_end};
	long acc = 0, saved = 0;
	const char *pc = prog;
	int idx;
#define NEXT                                                                                           \
	do {                                                                                           \
		char c = *pc++;                                                                        \
		idx = c == 'i' ? 0 : c == 'd' ? 1 : c == 's' ? 2 : c == '+' ? 3 : 4;                   \
		goto *ops[idx];                                                                        \
	} while (0)
	NEXT;
op_inc:
	acc++;
	NEXT;
op_dec:
	acc--;
	NEXT;
op_sq:
	saved += acc;
	acc *= acc;
	NEXT;
op_plus:
	acc += saved;
	NEXT;
op_end:
	return acc;
}
