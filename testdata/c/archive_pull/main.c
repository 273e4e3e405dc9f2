#include <stdio.h>

int used_a(int);
int used_b(int);
extern int table_value[4];

/* ar_conflict.o in the archive also defines helper(); it must not be pulled. */
int helper(int x)
{
	return x * 100;
}

int main(void)
{
	printf("used_a(3)=%d\n", used_a(3));
	printf("used_b(4)=%d\n", used_b(4));
	printf("table_value=%d,%d,%d,%d\n", table_value[0], table_value[1], table_value[2], table_value[3]);
	printf("helper(2)=%d\n", helper(2));
	return 0;
}
