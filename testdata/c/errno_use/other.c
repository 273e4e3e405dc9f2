#include <errno.h>
int set_errno_elsewhere(int v)
{
	errno = v;
	return -1;
}
int *errno_addr_other(void) { return &errno; }
