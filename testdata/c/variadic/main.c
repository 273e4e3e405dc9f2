#include <stdio.h>

long sum_ints(int n, ...);
double mixed(const char *types, ...);
char *fmt_alloc(const char *fmt, ...);
struct pair { int a; double b; };
int sum_pairs(int n, ...);
void logmsg(int level, const char *fmt, ...);

int main(void)
{
	printf("sum_ints=%ld\n", sum_ints(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
	printf("sum_ints(0)=%ld\n", sum_ints(0));
	printf("mixed=%.4f\n", mixed("idlDfi", 3, 2.5, 100000000000L, (long double)1.25, 0.5, -4));
	char *s = fmt_alloc("%s-%d-%.2f-%c", "joined", 17, 2.0 / 3, 'q');
	printf("fmt_alloc=%s\n", s);
	struct pair p1 = {1, 0.5}, p2 = {2, 1.5}, p3 = {3, 2.5};
	printf("sum_pairs=%d\n", sum_pairs(3, p1, p2, p3));
	logmsg(1, "info %d %s", 1, "message");
	logmsg(3, "error %08x with %d args", 0xbeef, 2);
	return 0;
}
