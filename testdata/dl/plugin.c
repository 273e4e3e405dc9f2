/* A plugin: a constructor and destructor, an atexit-style handler tied to the plugin, state
   that starts fresh on every load, and a callback into its host. */
#include <stdio.h>
#include <stdlib.h>

extern void host_log(const char *);
int plugin_counter = 100;
static int loads;

int plugin_run(int x) {
	plugin_counter += x;
	host_log("plugin_run called");
	return x * 3 + loads;
}

__attribute__((constructor)) static void plugin_init(void) {
	if (getenv("PLUGIN_QUIET")) { loads++; return; }
	loads++;
	printf("plugin init: counter=%d loads=%d\n", plugin_counter, loads);
}

__attribute__((destructor)) static void plugin_fini(void) { if (!getenv("PLUGIN_QUIET")) printf("plugin fini: counter=%d\n", plugin_counter); }
