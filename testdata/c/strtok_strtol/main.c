#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void parse_kv(char *s);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;
		errno = 0;
		long v = strtol(argv[i], &end, 0);
		printf("strtol(\"%s\",0) = %ld rest=\"%s\" errno=%d\n", argv[i], v, end, errno != 0);
	}
	printf("base 2: %ld, base 36: %ld, strtoul(-1)=%lu strtoll=%lld atoi=%d atol=%ld\n", strtol("101101", NULL, 2),
	       strtol("zz", NULL, 36), strtoul("-1", NULL, 10), strtoll("-9223372036854775808", NULL, 10), atoi("  -77x"),
	       atol("123456789012"));
	char text[] = "alpha, beta;;gamma ,delta,,epsilon";
	int n = 0;
	for (char *t = strtok(text, ",; "); t; t = strtok(NULL, ",; "))
		printf("tok[%d]=%s\n", n++, t);
	char kv[] = "name=jit;lang=c;;stage=e2e;bad;x=";
	parse_kv(kv);
	return 0;
}
