#include <stdio.h>

int lex(const char *s, void (*emit)(const char *kind, const char *start, int len));
int count_csv_fields(const char *line);

static void emit(const char *kind, const char *start, int len)
{
	printf("  %-6s '%.*s'\n", kind, len, start);
}

int main(void)
{
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, stdin)) {
		printf("line %d:\n", ++n);
		int errs = lex(line, emit);
		printf("  errors=%d csv_fields=%d\n", errs, count_csv_fields(line));
	}
	return 0;
}
