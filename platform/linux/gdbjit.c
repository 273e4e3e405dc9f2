// The GDB JIT interface (version 1), which gdb and lldb both read: a descriptor holding a
// list of in-memory symbol files, and a function the debugger puts a breakpoint in. The
// host links with -rdynamic (gdbjit.go), so both symbols stay in .dynsym when stripped.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gdbjit.h"

struct jit_code_entry {
	struct jit_code_entry *next, *prev;
	const char *symfile_addr;
	uint64_t symfile_size;
};

struct jit_descriptor {
	uint32_t version;
	uint32_t action_flag; // 0 none, 1 register, 2 unregister
	struct jit_code_entry *relevant_entry, *first_entry;
};

__attribute__((used, visibility("default"))) struct jit_descriptor __jit_debug_descriptor = {1, 0, 0, 0};

__attribute__((noinline, noclone, used, visibility("default"))) void __jit_debug_register_code(void) {
	__asm__ volatile("" ::: "memory"); // the debugger's breakpoint: never optimised away
}

static pthread_mutex_t jit_mu = PTHREAD_MUTEX_INITIALIZER;

// An entry, and whether its symbol file is a copy it owns (freed with it).
struct entry {
	struct jit_code_entry e; // first: the list links entries through it
	int owned;
};

void *jitrun_gdbjit_register(const void *img, uint64_t size, int copy) {
	struct entry *n = calloc(1, sizeof *n);
	char *file = (char *)img;
	if (n && copy) {
		file = malloc(size);
		if (file)
			memcpy(file, img, size);
	}
	if (!n || !file) {
		free(n);
		return 0;
	}
	struct jit_code_entry *e = &n->e;
	n->owned = copy;
	e->symfile_addr = file;
	e->symfile_size = size;
	pthread_mutex_lock(&jit_mu);
	e->next = __jit_debug_descriptor.first_entry;
	if (e->next)
		e->next->prev = e;
	__jit_debug_descriptor.first_entry = e;
	__jit_debug_descriptor.relevant_entry = e;
	__jit_debug_descriptor.action_flag = 1;
	__jit_debug_register_code();
	__jit_debug_descriptor.action_flag = 0;
	pthread_mutex_unlock(&jit_mu);
	return e;
}

void jitrun_gdbjit_unregister(void *entry) {
	struct jit_code_entry *e = entry;
	if (!e)
		return;
	pthread_mutex_lock(&jit_mu);
	if (e->prev)
		e->prev->next = e->next;
	else
		__jit_debug_descriptor.first_entry = e->next;
	if (e->next)
		e->next->prev = e->prev;
	__jit_debug_descriptor.relevant_entry = e;
	__jit_debug_descriptor.action_flag = 2;
	__jit_debug_register_code();
	__jit_debug_descriptor.action_flag = 0;
	__jit_debug_descriptor.relevant_entry = 0;
	pthread_mutex_unlock(&jit_mu);
	struct entry *n = (struct entry *)e;
	if (n->owned)
		free((void *)e->symfile_addr);
	free(n);
}

int jitrun_gdbjit_count(void) {
	int n = 0;
	pthread_mutex_lock(&jit_mu);
	for (struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e; e = e->next)
		n++;
	pthread_mutex_unlock(&jit_mu);
	return n;
}
