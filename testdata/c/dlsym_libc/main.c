#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void *other_puts(void);
int exported_from_main(int x) { return x + 1; }

int main(void)
{
	void *p = dlsym(RTLD_DEFAULT, "puts");
	printf("dlsym(puts) %s\n", p == (void *)&puts ? "== &puts" : "!= &puts");
	printf("dlsym(puts) %s other object\n", p == other_puts() ? "==" : "!=");
	void *q = dlsym(RTLD_DEFAULT, "qsort");
	printf("dlsym(qsort) %s\n", q == (void *)&qsort ? "== &qsort" : "!= &qsort");
	printf("dlsym(no_such_symbol) %s\n", dlsym(RTLD_DEFAULT, "no_such_symbol_xyz") ? "found" : "NULL");
	int (*fp)(const char *) = (int (*)(const char *))p;
	fp("printed through dlsym'd puts");
	return 0;
}
