#include <stdio.h>

extern void optional_fn(void) __attribute__((weak));
extern int optional_var __attribute__((weak));
extern int optional_arr[] __attribute__((weak));
extern int present_fn(int) __attribute__((weak));
extern int present_var __attribute__((weak));
extern int archived_fn(void) __attribute__((weak));
void check_other(void);

int main(void)
{
	printf("optional_fn: %s\n", &optional_fn ? "present" : "absent (address 0)");
	printf("optional_var: %s\n", &optional_var ? "present" : "absent (address 0)");
	printf("optional_arr: %s\n", optional_arr ? "present" : "absent (address 0)");
	if (optional_fn)
		optional_fn();
	printf("present_fn: %s", &present_fn ? "present" : "absent");
	if (&present_fn)
		printf(" -> %d", present_fn(4));
	printf("\npresent_var: %s = %d\n", &present_var ? "present" : "absent", &present_var ? present_var : -1);
	/* a weak undefined reference does not pull an archive member */
	printf("archived_fn: %s\n", &archived_fn ? "present (pulled)" : "absent (not pulled)");
	check_other();
	return 0;
}
