// Declarations of the dynamic-loader wrappers (dlemu.c) that the Go side calls.
#include <stdint.h>
#include <stddef.h>

void *dlemu_new_handle(long id, uintptr_t base, const char *name);
void dlemu_free_handle(void *h);
// The i-th wrapper of the dynamic-loader API and its glibc name in *name; 0 past the end.
uintptr_t dlemu_symbol_at(int i, const char **name);
int dlemu_call_phdr_cb(void *ctx, uintptr_t base, const char *name, void *phdrs, int n,
                       unsigned long long adds, size_t tls_modid);

// Set once a session answers for JIT'd dylibs: the executable's own dl* definitions
// (interpose.c) consult the emulation only then.
extern int dlemu_active;
