/* .init/.fini code fragments (as OpenSSL's libcrypto.a uses them): glibc runs the
   executable's _init (crti + fragments + crtn) before .init_array and _fini after
   .fini_array. */
#include <stdio.h>
#include <unistd.h>

static void say(const char *s) { write(1, s, __builtin_strlen(s)); }

void frag_init_hook(void) { say("init fragment\n"); }
void frag_fini_hook(void) { say("fini fragment\n"); }

__attribute__((constructor)) static void ctor(void) { say("constructor\n"); }
__attribute__((destructor)) static void dtor(void) { say("destructor\n"); }

int main(void) {
	say("main\n");
	return 0;
}
