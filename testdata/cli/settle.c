/* Lists its descriptors at start and 1.8 s later, while jitrun's background work (debugger
   registration, releasing the inputs' pages) runs: they must not change, since whatever
   jitrun opened then would take numbers the program expects free
   (TestBackgroundWorkTakesNoDescriptors). */
#include <dirent.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void fds(char *out, size_t n) {
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t l = 0;
	int self = dirfd(d);
	out[0] = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != self)
			l += snprintf(out + l, l < n ? n - l : 0, "%s ", e->d_name);
	closedir(d);
}

int main(void) {
	char before[4096], after[4096];
	fds(before, sizeof before);
	struct timespec ts = {1, 800 * 1000 * 1000};
	nanosleep(&ts, 0);
	fds(after, sizeof after);
	if (strcmp(before, after) != 0) {
		printf("descriptors before: %s\nafter: %s\n", before, after);
		return 1;
	}
	puts("done");
	return 0;
}
