package orcrt_test

import (
	"runtime"
	"testing"

	"github.com/jitrun/jitrun/orcrt"
)

// TestTLSOnThreadsThatExistedBeforeLoading links TLS code after an OS thread has started and
// calls it on that thread: the thread must see its own, initialised copy, for static TLS
// (local exec) and dynamic TLS (general dynamic) alike.
func TestTLSOnThreadsThatExistedBeforeLoading(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
	}{{"local-exec", nil}, {"general-dynamic", []string{"-fPIC"}}, {"descriptors", []string{"-fPIC", "-mtls-dialect=gnu2"}}} {
		t.Run(tc.name, func(t *testing.T) {
			if !isolated(t) {
				return
			}
			obj := compile(t, "tls", `
				__thread int counter = 42;
				__thread char zero[4096];
				int next(void) { return counter++ + zero[100]; }`, tc.flags...)
			// An OS thread that exists before the code is loaded.
			call := make(chan uint64)
			results := make(chan [2]uint64)
			go func() {
				runtime.LockOSThread()
				fn := <-call
				results <- [2]uint64{orcrt.Call(fn), orcrt.Call(fn)}
			}()
			_, next := linkAndLookup(t, "next", obj)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			if a, b := orcrt.Call(next), orcrt.Call(next); a != 42 || b != 43 {
				t.Errorf("this thread: next() = %d, %d, want 42, 43", a, b)
			}
			call <- next
			if r := <-results; r[0] != 42 || r[1] != 43 {
				t.Errorf("thread that existed before loading: next() = %d, %d, want 42, 43", r[0], r[1])
			}
		})
	}
}
