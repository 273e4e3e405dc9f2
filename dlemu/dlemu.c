// The dynamic-loader API as JIT'd code sees it. JIT'd references to dlopen, dlsym, dlclose,
// dlerror, dladdr, dladdr1, dlinfo, dlvsym and dl_iterate_phdr bind to these wrappers: JIT'd
// dylibs are handled by the Go side (the session), everything else goes to glibc.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"
#include "dlemu.h"
#include "realdl.h"

// A JIT'd dylib's handle: a small block the Go side never moves, told apart from glibc's
// handles (struct link_map pointers) by its magic.
int dlemu_active;

#define HANDLE_MAGIC 0x6a6974646c69622eULL /* "jitdlib." */

struct jit_handle {
	uint64_t magic;
	long id;
	struct link_map map; // what dlinfo(RTLD_DI_LINKMAP) reports
};

void *dlemu_new_handle(long id, uintptr_t base, const char *name) {
	struct jit_handle *h = calloc(1, sizeof *h);
	if (!h)
		return 0;
	h->magic = HANDLE_MAGIC;
	h->id = id;
	h->map.l_addr = base;
	h->map.l_name = (char *)name;
	return h;
}

void dlemu_free_handle(void *p) {
	struct jit_handle *h = p;
	h->magic = 0;
	free(h);
}

static long jit_id(void *p) {
	if (!p || p == RTLD_DEFAULT || p == RTLD_NEXT)
		return 0;
	struct jit_handle *h = p;
	// A glibc handle is a struct link_map, whose first word is l_addr: a load address, never
	// our magic.
	return h->magic == HANDLE_MAGIC ? h->id : 0;
}

// ---- dlerror: one pending message per thread ----------------------------------------------
static __thread char err_buf[1024];
static __thread int err_pending;

static void set_error(const char *msg) {
	if (!msg)
		msg = "unknown dynamic loader error";
	strncpy(err_buf, msg, sizeof err_buf - 1);
	err_buf[sizeof err_buf - 1] = 0;
	err_pending = 1;
}

static void take_glibc_error(void) { set_error(dlerror()); }

char *dlemu_dlerror(void) {
	if (!err_pending)
		return 0;
	err_pending = 0;
	return err_buf;
}

// ---- dlopen / dlclose --------------------------------------------------------------------
void *dlemu_dlopen(const char *file, int mode) {
	char msg[1024];
	msg[0] = 0;
	uintptr_t r = dlemuGoOpen((char *)file, mode, msg, sizeof msg);
	if (r == (uintptr_t)-1) {
		set_error(msg);
		return 0;
	}
	if (r)
		return (void *)r;
	void *h = dlopen(file, mode);
	if (!h)
		take_glibc_error();
	return h;
}

// For precompiled callers (interpose.c): a JIT'd dylib's name is opened here (1, *out set,
// NULL with dlerror on failure); anything else is glibc's (0).
int dlemu_open_jit(const char *file, int mode, void **out) {
	if (!file)
		return 0;
	char msg[1024];
	msg[0] = 0;
	uintptr_t r = dlemuGoOpen((char *)file, mode, msg, sizeof msg);
	if (r == (uintptr_t)-1) {
		set_error(msg);
		*out = 0;
		return 1;
	}
	*out = (void *)r;
	return r != 0;
}

int dlemu_dlclose(void *handle) {
	long id = jit_id(handle);
	if (id) {
		char msg[1024];
		msg[0] = 0;
		if (dlemuGoClose(id, msg, sizeof msg) != 0) {
			set_error(msg);
			return -1;
		}
		return 0;
	}
	int r = dlclose(handle);
	if (r != 0)
		take_glibc_error();
	return r;
}

// ---- dlsym / dlvsym ----------------------------------------------------------------------
// The host executable's handle, dlopen(NULL): the JIT'd program answers for it first.
static void *main_handle(void) {
	static void *h;
	if (!h)
		h = dlopen(0, RTLD_LAZY | RTLD_NOLOAD);
	return h;
}

static void *sym(void *handle, const char *name, const char *version, void *caller) {
	long id = jit_id(handle);
	char msg[1024];
	msg[0] = 0;
	int found = 0;
	uintptr_t a = dlemuGoSym(id, handle == RTLD_DEFAULT || (!id && handle == main_handle()),
	                         handle == RTLD_NEXT, (char *)name, (char *)version, (uintptr_t)caller, &found,
	                         msg, sizeof msg);
	if (found)
		return (void *)a;
	if (id) {
		set_error(msg);
		return 0;
	}
	void *r = version ? dlvsym(handle, name, version) : dlsym(handle, name);
	if (!r)
		take_glibc_error();
	return r;
}

void *dlemu_dlsym(void *handle, const char *name) {
	return sym(handle, name, 0, __builtin_return_address(0));
}

void *dlemu_dlvsym(void *handle, const char *name, const char *version) {
	return sym(handle, name, version, __builtin_return_address(0));
}

// For precompiled callers (interpose.c): a JIT'd handle is answered here, as are the
// program's own symbols for RTLD_DEFAULT and dlopen(NULL) (the JIT'd program is the
// executable, searched first); otherwise glibc answers, seeing the caller (0).
int dlemu_sym_jit(void *handle, const char *name, void *caller, void **out) {
	long id = jit_id(handle);
	int global = handle == RTLD_DEFAULT || (!id && handle == main_handle());
	if (!id && !global)
		return 0;
	char msg[1024];
	msg[0] = 0;
	int found = 0;
	uintptr_t a = dlemuGoSym(id, global, 0, (char *)name, 0, (uintptr_t)caller, &found, msg, sizeof msg);
	if (found) {
		*out = (void *)a;
		return 1;
	}
	if (id) {
		set_error(msg);
		*out = 0;
		return 1;
	}
	return 0;
}

// ---- dladdr ------------------------------------------------------------------------------
int dlemu_dladdr(const void *addr, Dl_info *info) {
	if (dlemuGoAddr((uintptr_t)addr, info))
		return 1;
	return dladdr(addr, info);
}

int dlemu_dladdr1(const void *addr, Dl_info *info, void **extra, int flags) {
	if (dlemuGoAddr((uintptr_t)addr, info)) {
		if (extra)
			*extra = 0; // no ElfW(Sym) or link_map of glibc's describes JIT'd code
		return 1;
	}
	return dladdr1(addr, info, extra, flags);
}

// ---- dlinfo ------------------------------------------------------------------------------
int dlemu_dlinfo(void *handle, int request, void *arg) {
	long id = jit_id(handle);
	if (!id) {
		int r = dlinfo(handle, request, arg);
		if (r != 0)
			take_glibc_error();
		return r;
	}
	struct jit_handle *h = handle;
	switch (request) {
	case RTLD_DI_LINKMAP:
		*(struct link_map **)arg = &h->map;
		return 0;
	case RTLD_DI_ORIGIN: {
		char msg[1024];
		if (dlemuGoOrigin(id, (char *)arg, 4096, msg, sizeof msg) != 0) {
			set_error(msg);
			return -1;
		}
		return 0;
	}
	case RTLD_DI_TLS_MODID:
		*(size_t *)arg = dlemuGoTLSModule(id);
		return 0;
	case RTLD_DI_TLS_DATA: {
		size_t mod = dlemuGoTLSModule(id);
		*(void **)arg = 0;
		if (mod) {
			extern void *__tls_get_addr(void *);
			size_t ti[2] = {mod, 0};
			*(void **)arg = __tls_get_addr(ti);
		}
		return 0;
	}
	}
	set_error("dlinfo: request not supported for a JIT'd dylib");
	return -1;
}

// ---- dl_iterate_phdr ---------------------------------------------------------------------
// glibc's objects first (the host, libc, ...), then each JIT'd dylib with program headers
// that describe its memory: one PT_LOAD per permission group, PT_TLS, PT_GNU_EH_FRAME.
struct iter_ctx {
	int (*cb)(struct dl_phdr_info *, size_t, void *);
	void *data;
	int ret;
};

int dlemu_call_phdr_cb(void *ctxp, uintptr_t base, const char *name, void *phdrs, int n,
                       unsigned long long adds, size_t tls_modid) {
	struct iter_ctx *ctx = ctxp;
	struct dl_phdr_info info;
	memset(&info, 0, sizeof info);
	info.dlpi_addr = base;
	info.dlpi_name = name;
	info.dlpi_phdr = phdrs;
	info.dlpi_phnum = n;
	info.dlpi_adds = adds;
	info.dlpi_subs = 0;
	info.dlpi_tls_modid = tls_modid;
	ctx->ret = ctx->cb(&info, sizeof info, ctx->data);
	return ctx->ret;
}

int dlemu_dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data) {
	int r = dl_iterate_phdr(cb, data);
	if (r != 0)
		return r;
	struct iter_ctx ctx = {cb, data, 0};
	dlemuGoIteratePhdr(&ctx);
	return ctx.ret;
}

// ---- Table of wrappers -------------------------------------------------------------------
// The glibc names JIT'd code binds to wrappers of, and the wrappers.
static const struct {
	const char *name;
	void *fn;
} dlemu_table[] = {
    {"dlopen", (void *)dlemu_dlopen},     {"dlclose", (void *)dlemu_dlclose},
    {"dlsym", (void *)dlemu_dlsym},       {"dlvsym", (void *)dlemu_dlvsym},
    {"dlerror", (void *)dlemu_dlerror},   {"dladdr", (void *)dlemu_dladdr},
    {"dladdr1", (void *)dlemu_dladdr1},   {"dlinfo", (void *)dlemu_dlinfo},
    {"dl_iterate_phdr", (void *)dlemu_dl_iterate_phdr},
};

uintptr_t dlemu_symbol_at(int i, const char **name) {
	if (i < 0 || (unsigned)i >= sizeof dlemu_table / sizeof dlemu_table[0])
		return 0;
	*name = dlemu_table[i].name;
	return (uintptr_t)dlemu_table[i].fn;
}
