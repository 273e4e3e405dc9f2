// The executable's own definitions of the dynamic-loader API. The jitrun executable is linked
// with -rdynamic, so ld.so binds every precompiled library's dlopen, dlsym, ... to these,
// ahead of glibc's: a precompiled library that dlopens a JIT'd dylib by name, or calls dlsym,
// dlclose, dladdr or dlinfo on one, reaches the emulation, as JIT'd code does.
//
// dlopen and dlsym behave differently depending on who calls them (dlopen searches the
// caller's RUNPATH and namespace, dlsym(RTLD_NEXT) searches after the caller's object), so
// they are assembly entries that ask the emulation first and otherwise jump (not call) to
// glibc's: glibc then sees the original caller's return address. The others do not look at
// their caller and are plain C. jitrun's own C code calls glibc's directly (realdl.h).
#define _GNU_SOURCE
#define JITRUN_REALDL_NO_MACROS
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>

#include "dlemu.h"
#include "realdl.h"

// dlemu.c
void *dlemu_dlopen(const char *file, int mode);
int dlemu_dlclose(void *handle);
char *dlemu_dlerror(void);
int dlemu_dladdr(const void *addr, Dl_info *info);
int dlemu_dladdr1(const void *addr, Dl_info *info, void **extra, int flags);
int dlemu_dlinfo(void *handle, int request, void *arg);
int dlemu_dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data);
int dlemu_open_jit(const char *file, int mode, void **out);
int dlemu_sym_jit(void *handle, const char *name, void *caller, void **out);

void *dlemu_next_dlopen, *dlemu_next_dlsym;

#define ROUTED_ENTRY(name, route, setup)                                                     \
	__asm__(".text\n"                                                                    \
	        ".globl " #name "\n"                                                         \
	        ".type " #name ",@function\n"                                                \
	        ".p2align 4\n" #name ":\n"                                                   \
	        ".cfi_startproc\n"                                                           \
	        "push %rdi\n.cfi_adjust_cfa_offset 8\n"                                      \
	        "push %rsi\n.cfi_adjust_cfa_offset 8\n"                                      \
	        "sub $8, %rsp\n.cfi_adjust_cfa_offset 8\n" setup "call " #route "@PLT\n"     \
	        "test %eax, %eax\n"                                                          \
	        "jnz 1f\n"                                                                   \
	        ".cfi_remember_state\n"                                                      \
	        "add $8, %rsp\n.cfi_adjust_cfa_offset -8\n"                                  \
	        "pop %rsi\n.cfi_adjust_cfa_offset -8\n"                                      \
	        "pop %rdi\n.cfi_adjust_cfa_offset -8\n"                                      \
	        "jmp *dlemu_next_" #name "(%rip)\n"                                          \
	        ".cfi_restore_state\n"                                                       \
	        "1:\n"                                                                       \
	        "mov (%rsp), %rax\n"                                                         \
	        "add $24, %rsp\n.cfi_adjust_cfa_offset -24\n"                                \
	        "ret\n"                                                                      \
	        ".cfi_endproc\n"                                                             \
	        ".size " #name ", .-" #name "\n")

// dlopen(file, mode): dlemu_route_dlopen(file, mode, &result).
ROUTED_ENTRY(dlopen, dlemu_route_dlopen, "mov %rsp, %rdx\n");
// dlsym(handle, name): dlemu_route_dlsym(handle, name, caller, &result).
ROUTED_ENTRY(dlsym, dlemu_route_dlsym, "mov 24(%rsp), %rdx\nmov %rsp, %rcx\n");

int dlemu_route_dlopen(const char *file, int mode, void **out) {
	dlemu_next_dlopen = (void *)jitrun_real_dl()->dlopen;
	return dlemu_active && dlemu_open_jit(file, mode, out);
}

int dlemu_route_dlsym(void *handle, const char *name, void *caller, void **out) {
	dlemu_next_dlsym = (void *)jitrun_real_dl()->dlsym;
	return dlemu_active && dlemu_sym_jit(handle, name, caller, out);
}

int dlclose(void *handle) {
	return dlemu_active ? dlemu_dlclose(handle) : jitrun_real_dl()->dlclose(handle);
}

char *dlerror(void) {
	char *e = dlemu_active ? dlemu_dlerror() : 0;
	return e ? e : jitrun_real_dl()->dlerror();
}

int dladdr(const void *addr, Dl_info *info) {
	return dlemu_active ? dlemu_dladdr(addr, info) : jitrun_real_dl()->dladdr(addr, info);
}

int dladdr1(const void *addr, Dl_info *info, void **extra, int flags) {
	return dlemu_active ? dlemu_dladdr1(addr, info, extra, flags)
	                    : jitrun_real_dl()->dladdr1(addr, info, extra, flags);
}

int dlinfo(void *handle, int request, void *arg) {
	return dlemu_active ? dlemu_dlinfo(handle, request, arg)
	                    : jitrun_real_dl()->dlinfo(handle, request, arg);
}

int dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data) {
	return dlemu_active ? dlemu_dl_iterate_phdr(cb, data)
	                    : jitrun_real_dl()->dl_iterate_phdr(cb, data);
}
