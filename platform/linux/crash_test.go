package linux

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// kernelHandler returns the handler installed for sig (rt_sigaction).
func kernelHandler(t *testing.T, sig syscall.Signal) uintptr {
	var act [4]uint64 // handler, flags, restorer, mask
	if _, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&act)), 8, 0, 0); e != 0 {
		t.Fatal(e)
	}
	return uintptr(act[0])
}

func wantPanic(t *testing.T, what, msg string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(runtime.Error)
		if !ok || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: recovered %v, want a runtime error with %q", what, r, msg)
		}
	}()
	f()
}

var sinkInt int

// TestCrashHandlerGoFaults installs the crash handler in this process (in front of Go's) and
// checks that Go's own faults still become panics: nil dereferences, division by zero and,
// with SetPanicOnFault, a wild pointer; on the main thread and on other threads (some
// created after the installation: Go's thread creation goes through the executable's
// pthread_create).
func TestCrashHandlerGoFaults(t *testing.T) {
	goHandler := kernelHandler(t, syscall.SIGSEGV)
	start := time.Now()
	InstallCrashHandler()
	t.Logf("installing the crash handler: %v", time.Since(start))
	if !CrashHandlerInstalled() {
		t.Fatal("not installed")
	}
	for _, sig := range []syscall.Signal{syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGILL, syscall.SIGTRAP, syscall.SIGABRT} {
		if h := kernelHandler(t, sig); h == goHandler || h <= 1 {
			t.Errorf("signal %v: handler %#x (Go's is %#x)", sig, h, goHandler)
		}
	}
	faults := func() {
		var p *int
		wantPanic(t, "nil pointer", "nil pointer dereference", func() { sinkInt = *p })
		zero := 0
		wantPanic(t, "division", "integer divide by zero", func() { sinkInt = 1 / zero })
		// A page mapped without access, not an unmapped one: the goroutines below map
		// pages concurrently, and one could land where an unmapped page was.
		page, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			t.Fatal(err)
		}
		defer syscall.Munmap(page)
		wild := &page[0]
		old := debug.SetPanicOnFault(true)
		defer debug.SetPanicOnFault(old)
		wantPanic(t, "wild pointer", "invalid memory address", func() { sinkInt = int(*wild) })
	}
	faults()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // a thread of its own, created now, exits with the goroutine
			faults()
		}()
	}
	wg.Wait()
	faults()
}
