#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmp.h"

int main(void)
{
	int nums[] = {42, -7, 19, 0, 1000, 3, 3, -500, 77, 12};
	size_t n = sizeof nums / sizeof nums[0];
	qsort(nums, n, sizeof nums[0], cmp_int);
	for (size_t i = 0; i < n; i++)
		printf("%d ", nums[i]);
	putchar('\n');
	int keys[] = {77, 4, -500, 1000};
	for (int i = 0; i < 4; i++) {
		int *p = bsearch(&keys[i], nums, n, sizeof nums[0], cmp_int);
		printf("bsearch %d -> %s index %d\n", keys[i], p ? "found" : "missing", p ? (int)(p - nums) : -1);
	}
	const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date"};
	size_t nw = sizeof words / sizeof words[0];
	qsort(words, nw, sizeof words[0], cmp_str);
	for (size_t i = 0; i < nw; i++)
		printf("%s%c", words[i], i + 1 < nw ? ',' : '\n');
	const char *key = "date";
	const char **w = bsearch(&key, words, nw, sizeof words[0], cmp_str);
	printf("date at %d\n", w ? (int)(w - words) : -1);

	struct person people[] = {{"zoe", 31}, {"adam", 45}, {"mia", 31}, {"bob", 20}};
	qsort(people, 4, sizeof people[0], cmp_person);
	for (int i = 0; i < 4; i++)
		printf("%s:%d\n", people[i].name, people[i].age);
	printf("comparisons=%d\n", comparisons);
	return 0;
}
