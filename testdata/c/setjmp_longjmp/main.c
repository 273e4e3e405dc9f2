#include <setjmp.h>
#include <stdio.h>

jmp_buf env;
void dive(int depth, int target);
int try_parse(const char *s, int *out);

int main(void)
{
	volatile int attempts = 0;
	int r = setjmp(env);
	attempts++;
	printf("setjmp returned %d (attempt %d)\n", r, attempts);
	if (r < 3)
		dive(0, 10 + r);
	const char *inputs[] = {"123", "12x", "", "99999"};
	for (int i = 0; i < 4; i++) {
		int v = -1;
		int ok = try_parse(inputs[i], &v);
		printf("parse(\"%s\") ok=%d v=%d\n", inputs[i], ok, v);
	}
	return 0;
}
