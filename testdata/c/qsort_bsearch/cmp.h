struct person {
	const char *name;
	int age;
};
int cmp_int(const void *a, const void *b);
int cmp_str(const void *a, const void *b);
int cmp_person(const void *a, const void *b);
extern int comparisons;
