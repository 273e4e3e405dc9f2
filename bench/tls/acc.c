/* One thread-local access per call (a volatile read-modify-write, so that nothing is
 * hoisted or folded). The TLS model comes from the build:
 *   -DMODEL_LE             static, in the executable           -> local-exec
 *   -DMODEL_IE             extern, defined in def.c, -fPIE     -> initial-exec
 *   -fPIC                  global, preemptible                 -> general-dynamic
 *   -fPIC -mtls-dialect=gnu2                                   -> TLS descriptor
 *   -DMODEL_NONE           an ordinary global (baseline: call + memory access) */
#if defined(MODEL_LE)
static __thread volatile long counter;
#elif defined(MODEL_IE)
extern __thread volatile long counter;
#elif defined(MODEL_NONE)
volatile long counter;
#else
__thread volatile long counter;
#endif

long bump(void) { return ++counter; }
