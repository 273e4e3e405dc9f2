/* Thread-local variables accessed with every x86-64 TLS model. The default model of
 * each plain variable follows the build mode (local-exec/initial-exec in executables,
 * general/local-dynamic with -fPIC, TLS descriptors with -mtls-dialect=gnu2); the
 * tls_model attributes force a model in every mode (gcc honours them; clang relaxes). */
#include <stdint.h>
#define GD __attribute__((tls_model("global-dynamic")))
#define LD __attribute__((tls_model("local-dynamic")))
#define IE __attribute__((tls_model("initial-exec")))
#define LE __attribute__((tls_model("local-exec")))

extern __thread int o_plain;       /* other.c, initialised */
extern __thread long o_bss;        /* other.c, zero */
extern __thread char o_name[24];   /* other.c, initialised string */
extern __thread int o_gd GD;
extern __thread int o_ie IE;

/* Addresses of other.c's variables as computed by other.c's own code. */
void *other_addr(int which);
/* Bumps other.c's variables from other.c's code; returns a checksum of them. */
long other_bump(int by);
long other_sum(void);
/* main.c's own statics, seen from main.c (LD/LE) */
long main_statics_sum(void);
