/* Loads a plugin with dlopen: symbols, callbacks into the host, dladdr, dlclose and reopen,
   dlerror, RTLD_NOLOAD, dl_iterate_phdr. Run as: host PATH-TO-PLUGIN */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

int host_calls;
void host_log(const char *msg) { host_calls++; printf("host_log: %s\n", msg); }

static const char *base(const char *p) { const char *s = p ? strrchr(p, '/') : 0; return s ? s + 1 : p; }

static int count_cb(struct dl_phdr_info *info, size_t size, void *data) {
	(void)size;
	if (strstr(info->dlpi_name, "plugin")) {
		int loads = 0;
		for (int i = 0; i < info->dlpi_phnum; i++)
			loads += info->dlpi_phdr[i].p_type == PT_LOAD;
		++*(int *)data;
		printf("phdr: %s has PT_LOAD: %s\n", base(info->dlpi_name), loads ? "yes" : "no");
	}
	return 0;
}

int main(int argc, char **argv) {
	const char *path = argc > 1 ? argv[1] : "./libplugin.so";
	if (dlopen(path, RTLD_NOW | RTLD_NOLOAD))
		printf("NOLOAD found it before loading?\n");
	for (int round = 0; round < 2; round++) {
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
		int (*run)(int) = (int (*)(int))dlsym(h, "plugin_run");
		int *counter = (int *)dlsym(h, "plugin_counter");
		printf("round %d: run=%s counter=%d\n", round, run ? "found" : "missing", counter ? *counter : -1);
		printf("run(5) = %d, counter now %d\n", run(5), *counter);
		Dl_info info;
		if (dladdr((void *)run, &info))
			printf("dladdr: %s in %s, offset %ld\n", info.dli_sname, base(info.dli_fname),
			       (long)((char *)run - (char *)info.dli_saddr));
		if (!dlsym(h, "no_such_symbol"))
			printf("dlerror after a missing symbol: %s\n", dlerror() ? "set" : "empty");
		printf("dlerror again: %s\n", dlerror() ? "set" : "empty");
		void *again = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
		printf("NOLOAD while loaded: %s\n", again == h ? "same handle" : "different");
		if (again)
			dlclose(again);
		int n = 0;
		dl_iterate_phdr(count_cb, &n);
		printf("plugins listed: %d\n", n);
		printf("dlclose: %d\n", dlclose(h));
	}
	printf("host_calls %d\n", host_calls);
	return 0;
}
