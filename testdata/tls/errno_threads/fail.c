#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each failure sets a different errno in the calling thread. */
int fail_with(int kind)
{
	switch (kind % 4) {
	case 0: return open("/nonexistent/file", O_RDONLY);           /* ENOENT */
	case 1: return (int)write(-1, "x", 1);                          /* EBADF */
	case 2: return (int)strtol("99999999999999999999999", NULL, 10); /* ERANGE */
	default: return (int)lseek(0, 0, 99);                           /* EINVAL */
	}
}

int *errno_addr(void) { return &errno; }
