#include <stdlib.h>
#include <string.h>
#include "ht.h"

struct node {
	char *key;
	int value;
	struct node *next;
};
struct ht {
	unsigned nb, size;
	struct node **b;
};

struct ht *ht_new(unsigned nb)
{
	struct ht *h = calloc(1, sizeof *h);
	h->nb = nb;
	h->b = calloc(nb, sizeof *h->b);
	return h;
}

int *ht_get(struct ht *h, const char *key, int create)
{
	unsigned i = ht_hash(key) % h->nb;
	for (struct node *n = h->b[i]; n; n = n->next)
		if (strcmp(n->key, key) == 0)
			return &n->value;
	if (!create)
		return NULL;
	struct node *n = malloc(sizeof *n);
	n->key = strdup(key);
	n->value = 0;
	n->next = h->b[i];
	h->b[i] = n;
	h->size++;
	return &n->value;
}

unsigned ht_size(const struct ht *h) { return h->size; }

unsigned ht_keys(const struct ht *h, const char **out, unsigned max)
{
	unsigned k = 0;
	for (unsigned i = 0; i < h->nb; i++)
		for (struct node *n = h->b[i]; n && k < max; n = n->next)
			out[k++] = n->key;
	return k;
}

void ht_free(struct ht *h)
{
	for (unsigned i = 0; i < h->nb; i++) {
		struct node *n = h->b[i];
		while (n) {
			struct node *next = n->next;
			free(n->key);
			free(n);
			n = next;
		}
	}
	free(h->b);
	free(h);
}
