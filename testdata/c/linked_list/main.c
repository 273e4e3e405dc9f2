#include <stdio.h>
#include <string.h>
#include "list.h"

static int by_key(const struct item *a, const struct item *b) { return a->key - b->key; }
static int by_label(const struct item *a, const struct item *b) { return strcmp(a->label, b->label); }

int main(void)
{
	static const char *labels[] = {"kiwi", "apple", "mango", "banana", "cherry", "date", "elder", "fig"};
	struct item *l = NULL;
	for (int i = 0; i < 40; i++)
		l = list_push(l, (i * 37) % 23, labels[i % 8]);
	printf("len=%d\n", list_len(l));
	list_print("pushed", l);
	l = list_sort(l, by_key);
	list_print("by key", l);
	l = list_sort(l, by_label); /* stable merge sort keeps key order within a label */
	list_print("by label", l);
	l = list_reverse(l);
	list_print("reversed", l);
	list_free(l);
	return 0;
}
