#include <stdio.h>

__attribute__((weak)) int config_value = 1;
__attribute__((weak)) const char *backend_name(void) { return "weak default backend"; }
__attribute__((weak)) int fallback_only(void) { return 10; }
/* ar_strong.o defines a strong archive_override(); archives are not searched
   for symbols that already have a (weak) definition, so it must not be pulled. */
__attribute__((weak)) int archive_override(void) { return 20; }
int other_weak_user(void);

int main(void)
{
	printf("config_value=%d\n", config_value);
	printf("backend_name=%s\n", backend_name());
	printf("fallback_only=%d\n", fallback_only());
	printf("archive_override=%d\n", archive_override());
	printf("other_weak_user=%d\n", other_weak_user());
	return 0;
}
