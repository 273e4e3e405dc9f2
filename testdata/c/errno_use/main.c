#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int set_errno_elsewhere(int v);
int *errno_addr_other(void);

int main(void)
{
	errno = 0;
	int fd = open("/nonexistent/dir/file", O_RDONLY);
	printf("open -> %d errno=%d (%s) ENOENT=%d\n", fd, errno, strerror(errno), errno == ENOENT);
	errno = 0;
	perror("perror after reset");
	errno = EACCES;
	perror("perror EACCES");
	errno = 0;
	long v = strtol("999999999999999999999999", NULL, 10);
	printf("strtol overflow: v==LONG_MAX %d errno==ERANGE %d\n", v == LONG_MAX, errno == ERANGE);
	set_errno_elsewhere(EINTR);
	printf("errno set in other object: %d (EINTR=%d)\n", errno, errno == EINTR);
	printf("&errno same in both objects: %d\n", &errno == errno_addr_other());
	errno = 0;
	close(-1);
	printf("close(-1) errno=EBADF %d: %s\n", errno == EBADF, strerror(errno));
	fprintf(stderr, "strerror(ENOMEM)=%s\n", strerror(ENOMEM));
	return errno == EBADF ? 9 : 0;
}
