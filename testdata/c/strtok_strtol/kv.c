#include <stdio.h>
#include <string.h>

void parse_kv(char *s)
{
	char *outer, *inner;
	for (char *pair = strtok_r(s, ";", &outer); pair; pair = strtok_r(NULL, ";", &outer)) {
		char *k = strtok_r(pair, "=", &inner);
		char *v = strtok_r(NULL, "=", &inner);
		printf("key=%s value=%s\n", k, v ? v : "(none)");
	}
	char buf[] = "a:b::c";
	char *p = buf, *tok;
	while ((tok = strsep(&p, ":")))
		printf("strsep [%s]\n", tok);
}
