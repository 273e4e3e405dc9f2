/* Thread-locals aligned beyond 64 bytes (glibc's own static TLS alignment): 128, 4096. */
#include <stdint.h>
__thread char page_data[100] __attribute__((aligned(4096))) = {9, 8, 7};
__thread char line128[128] __attribute__((aligned(128))) = "line";
__thread long page_bss[600] __attribute__((aligned(4096)));
int page_check(void)
{
	int ok = page_data[0] == 9 && page_data[2] == 7 && line128[0] == 'l' && page_bss[599] == 0;
	page_data[0] = 1;
	page_bss[599] = 5;
	return ok;
}
uintptr_t page_misalignment(void)
{
	return ((uintptr_t)page_data & 4095) | ((uintptr_t)line128 & 127) | ((uintptr_t)page_bss & 4095);
}
