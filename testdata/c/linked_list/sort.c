#include "list.h"

static struct item *merge(struct item *a, struct item *b, int (*cmp)(const struct item *, const struct item *))
{
	struct item head, *t = &head;
	while (a && b) {
		if (cmp(b, a) < 0) {
			t->next = b;
			b = b->next;
		} else {
			t->next = a;
			a = a->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

struct item *list_sort(struct item *l, int (*cmp)(const struct item *, const struct item *))
{
	if (!l || !l->next)
		return l;
	struct item *slow = l, *fast = l->next;
	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
	}
	struct item *second = slow->next;
	slow->next = 0;
	return merge(list_sort(l, cmp), list_sort(second, cmp), cmp);
}
