/* 8 threads x N cycles of dlopen / dlsym / call / dlclose on a plugin. Prints the resident
   memory and the number of mappings after the first cycle and at the end (to stderr) and
   fails if they grew by more than a small constant. Run as: stress PATH-TO-PLUGIN [N] */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void host_log(const char *msg) { (void)msg; }

static const char *path;
static int cycles = 1000;
static int failures;
static pthread_barrier_t first_done, measured;

static long rss_kb(void) {
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) { if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0; fclose(f); }
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int mappings(void) {
	int n = 0, c;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return -1;
	while ((c = fgetc(f)) != EOF) n += c == '\n';
	fclose(f);
	return n;
}

static int cycle(void) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
	int (*run)(int) = (int (*)(int))dlsym(h, "plugin_run");
	int bad = !run || run(2) != 7;
	if (dlclose(h) != 0) bad = 1;
	return bad;
}

static void *worker(void *arg) {
	(void)arg;
	int bad = cycle();
	pthread_barrier_wait(&first_done);
	pthread_barrier_wait(&measured);
	for (int i = 1; i < cycles; i++) bad += cycle();
	__atomic_add_fetch(&failures, bad, __ATOMIC_RELAXED);
	return 0;
}

int main(int argc, char **argv) {
	setenv("PLUGIN_QUIET", "1", 1); /* the plugin's constructor and destructor stay silent */
	path = argc > 1 ? argv[1] : "./libplugin.so";
	if (argc > 2) cycles = atoi(argv[2]);
	enum { T = 8 };
	pthread_t t[T];
	pthread_barrier_init(&first_done, 0, T + 1);
	pthread_barrier_init(&measured, 0, T + 1);
	for (int i = 0; i < T; i++) pthread_create(&t[i], 0, worker, 0);
	pthread_barrier_wait(&first_done);
	long rss1 = rss_kb();
	int maps1 = mappings();
	pthread_barrier_wait(&measured);
	for (int i = 0; i < T; i++) pthread_join(t[i], 0);
	long rss2 = rss_kb();
	int maps2 = mappings();
	fprintf(stderr, "after first cycle: %ld KiB, %d mappings; after %d cycles: %ld KiB, %d mappings\n",
	        rss1, maps1, T * cycles, rss2, maps2);
	printf("failures: %d\n", failures);
	printf("mappings grew: %s\n", maps2 > maps1 + 8 ? "yes" : "no");
	printf("resident memory grew more than 8 MiB: %s\n", rss2 - rss1 > 8192 ? "yes" : "no");
	return failures != 0;
}
