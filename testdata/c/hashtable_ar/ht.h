struct ht;
struct ht *ht_new(unsigned nbuckets);
int *ht_get(struct ht *h, const char *key, int create);
unsigned ht_size(const struct ht *h);
unsigned ht_keys(const struct ht *h, const char **out, unsigned max);
unsigned ht_hash(const char *s); /* in the second archive */
void ht_free(struct ht *h);
