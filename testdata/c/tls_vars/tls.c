#include <stdint.h>
#include <stdio.h>
#include <string.h>

__thread int tls_counter = 100;
__thread char tls_name[16] = "initial";
static __thread int tls_bss[1024];

int bump_other(void)
{
	tls_bss[1023]++;
	return ++tls_counter + tls_bss[1023];
}

void *worker(void *arg)
{
	long id = (long)arg;
	int before = tls_counter;
	for (long i = 0; i <= id; i++)
		bump_other();
	snprintf(tls_name, sizeof tls_name, "worker%ld", id);
	return (void *)(intptr_t)(before * 1000 + tls_counter * 10 + (int)strlen(tls_name) + tls_bss[1023]);
}
