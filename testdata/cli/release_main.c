/* Waits until jitrun's background debugger registration has written its debug file into
   argv[1], then until the pages of the input archive (argv[2], a path suffix) are no longer
   resident in this process: what the registration read of the inputs must be let go once
   it is done. Prints what it saw and exits 0 on success, 1 on a timeout. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int release_square(int);
int release_cube(int);
const char *release_name(void);

static void nap(void) {
	struct timespec ts = {0, 10 * 1000 * 1000};
	nanosleep(&ts, 0);
}

/* Whether dir/.build-id/XX/ holds a .debug file (the registration's last step). */
static int has_file(const char *dir) {
	char path[4096];
	snprintf(path, sizeof path, "%s/.build-id", dir);
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		DIR *s = opendir(sub);
		struct dirent *f;
		while (s && (f = readdir(s))) {
			size_t l = strlen(f->d_name);
			if (l > 6 && strcmp(f->d_name + l - 6, ".debug") == 0)
				found = 1;
		}
		if (s)
			closedir(s);
	}
	closedir(d);
	return found;
}

/* Resident kB of the mappings whose path ends with suffix; -1 if there is none. */
static long resident(const char *suffix) {
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[4096];
	int in = 0;
	long kb = -1, n;
	size_t sl = strlen(suffix);
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\n')
			line[--l] = 0;
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) { /* a mapping's first line */
			in = l >= sl && strcmp(line + l - sl, suffix) == 0;
			if (in && kb < 0)
				kb = 0;
		} else if (in && sscanf(line, "Rss: %ld kB", &n) == 1) {
			kb += n;
		}
	}
	fclose(f);
	return kb;
}

int main(int argc, char **argv) {
	if (argc != 3)
		return 2;
	printf("%d %d %s\n", release_square(3), release_cube(2), release_name());
	int i;
	for (i = 0; i < 3000 && !has_file(argv[1]); i++)
		nap();
	if (!has_file(argv[1])) {
		printf("no debug file in %s\n", argv[1]);
		return 1;
	}
	long kb = resident(argv[2]);
	for (i = 0; i < 300 && kb != 0; i++) {
		nap();
		kb = resident(argv[2]);
	}
	if (kb != 0) {
		printf("%s: %ld kB still resident\n", argv[2], kb);
		return 1;
	}
	printf("released\n");
	return 0;
}
