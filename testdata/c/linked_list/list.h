struct item {
	int key;
	const char *label;
	struct item *next;
};
struct item *list_push(struct item *head, int key, const char *label);
int list_len(const struct item *l);
void list_print(const char *title, const struct item *l);
struct item *list_reverse(struct item *l);
struct item *list_sort(struct item *l, int (*cmp)(const struct item *, const struct item *));
void list_free(struct item *l);
