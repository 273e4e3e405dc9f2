#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*anyfn)(void);
anyfn other_puts(void);
anyfn other_strlen(void);
anyfn other_memcpy(void);
anyfn other_printf(void);
anyfn other_qsort(void);
anyfn ar_puts(void);
anyfn ar_strlen(void);

extern size_t (*data_strlen)(const char *);

static void check(const char *what, anyfn a, anyfn b)
{
	printf("%-28s %s\n", what, a == b ? "equal" : "DIFFERENT");
}

int main(void)
{
	check("&puts == other_puts", (anyfn)&puts, other_puts());
	check("&puts == ar_puts", (anyfn)&puts, ar_puts());
	check("&strlen == other_strlen", (anyfn)&strlen, other_strlen());
	check("&strlen == ar_strlen", (anyfn)&strlen, ar_strlen());
	check("&strlen == data_strlen", (anyfn)&strlen, (anyfn)data_strlen);
	check("&memcpy == other_memcpy", (anyfn)&memcpy, other_memcpy());
	check("&printf == other_printf", (anyfn)&printf, other_printf());
	check("&qsort == other_qsort", (anyfn)&qsort, other_qsort());
	printf("&puts vs &strlen: %s\n", (anyfn)&puts != (anyfn)&strlen ? "distinct" : "SAME");
	int (*p)(const char *) = (int (*)(const char *))other_puts();
	p("called puts through pointer from other object");
	size_t (*sl)(const char *) = (size_t (*)(const char *))ar_strlen();
	printf("strlen via archive pointer: %zu\n", sl("twelve chars"));
	return 0;
}
