#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpn.h"

int main(void)
{
	char line[256];
	int lineno = 0, bad = 0;
	while (fgets(line, sizeof line, stdin)) {
		lineno++;
		clear();
		int before = stack_errors;
		for (char *tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
			char *end;
			double v = strtod(tok, &end);
			if (*end == 0)
				push(v);
			else if (!apply_op(tok)) {
				fprintf(stderr, "line %d: unknown token '%s'\n", lineno, tok);
				stack_errors++;
			}
		}
		if (stack_errors != before || depth() != 1) {
			fprintf(stderr, "line %d: error (depth %d)\n", lineno, depth());
			bad++;
			continue;
		}
		printf("%d: %.6g\n", lineno, pop());
	}
	return bad;
}
