// Crash reports, the signal-time half (crash.c); the reporter is package crash.
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

// jitrun_crash_configure prepares, once, everything the signal handler needs to start the
// reporter: the executable to run and its fixed arguments and environment (copied).
int jitrun_crash_configure(const char *exe, char **argv, int argc, char **envp, int envc);
// jitrun_crash_set_go_text tells the handler where the Go runtime's code is.
void jitrun_crash_set_go_text(uintptr_t lo, uintptr_t hi);
// jitrun_crash_install installs the handler for the crash signals (after the Go runtime's).
void jitrun_crash_install(void);
int jitrun_crash_installed(void);
// jitrun_crash_sigaction is the program's sigaction for the crash signals once the handler is
// installed: it returns 1 and sets *ret when it handled the call, 0 otherwise.
int jitrun_crash_sigaction(int sig, const struct sigaction *act, struct sigaction *old, int *ret);
// Background debug-file writes under way: a crash waits (briefly) for them to finish.
void jitrun_debug_write_begin(void);
void jitrun_debug_write_end(void);
int jitrun_debug_writes_pending(void);
// jitrun_program_thread marks the calling thread as one of the program's (its main thread,
// as main starts; threads it creates are marked as they start): a signal sent to the process
// is for them, not for jitrun's own threads.
void jitrun_program_thread(void);
// jitrun_thread_altstack gives the calling thread an alternate signal stack, freed when the
// thread exits (unless it has one).
void jitrun_thread_altstack(void);
// jitrun_pthread_create is pthread_create for JIT'd code: the new thread gets an alternate
// signal stack, so a stack overflow on it is reported.
int jitrun_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
