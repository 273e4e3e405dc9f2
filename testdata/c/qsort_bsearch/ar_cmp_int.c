#include "cmp.h"
int comparisons;

int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	comparisons++;
	return (x > y) - (x < y);
}
