/* The program's file descriptors are its own: a native program starts with 0, 1 and 2 (what
   its parent passed) and its first open() returns 3; a loader must not leave its own
   descriptors (runtime, in-memory objects, debug files) in the way or in sight. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int count_fds(void);

int main(void) {
	int n = count_fds();
	int fd = open("/dev/null", O_RDONLY);
	int fd2 = dup(fd);
	printf("descriptors at start: %d\nfirst open: %d, dup: %d\n", n, fd, fd2);
	return 0;
}
