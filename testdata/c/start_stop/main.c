#include <stdio.h>
#include "registry.h"

extern const struct entry __start_jr_registry[];
extern const struct entry __stop_jr_registry[];
int mod_c_anchor(void);

static int twice(int x) { return 2 * x; }
REGISTER(main_twice, 5, twice);

int main(void)
{
	int n = (int)(__stop_jr_registry - __start_jr_registry);
	printf("registry has %d entries (anchor %d)\n", n, mod_c_anchor());
	long prio_sum = 0;
	for (const struct entry *e = __start_jr_registry; e < __stop_jr_registry; e++)
		prio_sum += e->prio;
	/* print sorted by priority so the listing does not depend on section order */
	for (long p = 0; p <= 100; p++)
		for (const struct entry *e = __start_jr_registry; e < __stop_jr_registry; e++)
			if (e->prio == p)
				printf("  prio %3ld %-12s fn(10)=%d\n", e->prio, e->name, e->fn(10));
	printf("prio_sum=%ld\n", prio_sum);
	return 0;
}
