#include <stdio.h>
#include <string.h>

const char *a_greeting(void);
const char *b_greeting(void);
const char *a_suffix(void);
const char *b_wide(int i);
const char *const *b_table(void);

int main(void)
{
	const char *mine = "Hello, merged world!";
	printf("main:  %s\n", mine);
	printf("a:     %s\n", a_greeting());
	printf("b:     %s\n", b_greeting());
	printf("equal contents: %d %d\n", strcmp(mine, a_greeting()) == 0, strcmp(a_greeting(), b_greeting()) == 0);
	printf("suffix: [%s] len=%zu\n", a_suffix(), strlen(a_suffix()));
	for (int i = 0; i < 3; i++)
		printf("b_wide(%d)=%s\n", i, b_wide(i));
	const char *const *t = b_table();
	for (int i = 0; t[i]; i++)
		printf("table[%d]=%s\n", i, t[i]);
	return 0;
}
