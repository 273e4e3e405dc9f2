#include <stdio.h>
#include <stdlib.h>
#include "list.h"

struct item *list_push(struct item *head, int key, const char *label)
{
	struct item *n = malloc(sizeof *n);
	n->key = key;
	n->label = label;
	n->next = head;
	return n;
}

int list_len(const struct item *l)
{
	int n = 0;
	for (; l; l = l->next)
		n++;
	return n;
}

void list_print(const char *title, const struct item *l)
{
	printf("%s:", title);
	for (; l; l = l->next)
		printf(" %d/%s", l->key, l->label);
	putchar('\n');
}

struct item *list_reverse(struct item *l)
{
	struct item *r = NULL;
	while (l) {
		struct item *next = l->next;
		l->next = r;
		r = l;
		l = next;
	}
	return r;
}

void list_free(struct item *l)
{
	while (l) {
		struct item *next = l->next;
		free(l);
		l = next;
	}
}
