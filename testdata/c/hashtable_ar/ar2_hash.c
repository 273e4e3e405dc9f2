/* FNV-1a, lives in the second archive which is listed first */
unsigned ht_hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}
