#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ht.h"

static int cmp(const void *a, const void *b) { return strcmp(*(const char **)a, *(const char **)b); }

int main(void)
{
	struct ht *h = ht_new(7);
	char word[64];
	int total = 0;
	while (scanf("%63s", word) == 1) {
		for (char *p = word; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 32;
		(*ht_get(h, word, 1))++;
		total++;
	}
	const char *keys[256];
	unsigned n = ht_keys(h, keys, 256);
	qsort(keys, n, sizeof keys[0], cmp);
	printf("%d words, %u distinct\n", total, ht_size(h));
	for (unsigned i = 0; i < n; i++)
		printf("%-10s %d\n", keys[i], *ht_get(h, keys[i], 0));
	printf("missing: %s\n", ht_get(h, "zebra", 0) ? "found" : "null");
	ht_free(h);
	return 0;
}
