#include <stdio.h>

int present_var = 5;
int present_fn(int x) { return x * 11; }

extern void optional_fn(void) __attribute__((weak));
static void (*const stored_ptr)(void) = optional_fn; /* 0 in .data.rel.ro */
void (*stored_ptr_data)(void) = optional_fn;        /* 0 in .data */

void check_other(void)
{
	printf("other object: optional_fn %s, stored_ptr %s, stored_ptr_data %s\n", optional_fn ? "present" : "absent",
	       stored_ptr ? "non-null" : "null", stored_ptr_data ? "non-null" : "null");
}
