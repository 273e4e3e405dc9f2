#include <stdio.h>
#include <string.h>

void report(const char *fmt, ...);

int main(void)
{
	int n, a, b, c, age;
	double d;
	char word[32], name[16], line[128];

	n = scanf("%d %lf %31s", &a, &d, word);
	report("scanf#1 n=%d a=%d d=%.3f word=%s", n, a, d, word);
	n = scanf("%i %i %d", &a, &b, &c);
	report("scanf#2 n=%d a=%d b=%d c=%d", n, a, b, c);
	n = scanf(" name=%15[^ ] age=%d", name, &age);
	report("scanf#3 n=%d name=%s age=%d", n, name, age);
	int ch = getchar();
	report("getchar after number=%d", ch);
	ch = getchar();
	ungetc(ch, stdin);
	if (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		report("fgets=[%s]", line);
	}
	int x, y;
	char op;
	while ((n = fscanf(stdin, "%d %c %d", &x, &op, &y)) == 3)
		report("expr %d %c %d", x, op, y);
	report("fscanf stopped n=%d feof=%d", n, feof(stdin) != 0);

	char out[200];
	int len = sprintf(out, "[%5d|%-8s|%08.3f|%x|%X|%o|%e|%g|%c|%%|%+d|% d]", 42, "left", 3.14159, 255, 255, 8, 12345.678, 0.0001234, 'Z', 5, 7);
	printf("%s len=%d\n", out, len);
	long long big = 1234567890123LL;
	unsigned long ul = 18446744073709551615UL;
	printf("%lld %lu %hhd %hd %zu %5.2s| %*d|%-*d|\n", big, ul, (signed char)300, (short)70000, sizeof(int), "abcdef", 6, 42, 4, 7);
	int got;
	sscanf("  17 apples", "%d%n", &a, &got);
	printf("sscanf a=%d consumed=%d\n", a, got);
	return 0;
}
