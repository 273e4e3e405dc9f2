#include <string.h>
#include "cmp.h"

int cmp_str(const void *a, const void *b)
{
	comparisons++;
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmp_person(const void *a, const void *b)
{
	const struct person *p = a, *q = b;
	if (p->age != q->age)
		return q->age - p->age;
	return strcmp(p->name, q->name);
}
