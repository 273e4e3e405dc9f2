package linux

/*
#include <stdint.h>
uintptr_t jitrun_lazy_entry_addr(void);
void jitrun_lazy_at_exit(void);
*/
import "C"

import (
	"sync"
	"sync/atomic"
)

// LazyResolver links the function of lazy index idx (see lazy.c) and returns its address;
// it is called on the thread that made the first call, with that call's arguments saved.
var lazyResolver atomic.Pointer[func(idx uint64) uint64]

// SetLazyResolver installs the function lazy stubs call on first use (one per process).
func SetLazyResolver(f func(idx uint64) uint64) { lazyResolver.Store(&f) }

//export jitrunLazyResolve
func jitrunLazyResolve(idx C.uint64_t) C.uint64_t {
	f := lazyResolver.Load()
	if f == nil {
		panic("jitrun: lazy stub called with no resolver")
	}
	return C.uint64_t((*f)(uint64(idx)))
}

// LazyEntry is the address of the resolver trampoline lazy stubs jump to.
func LazyEntry() uint64 { return uint64(C.jitrun_lazy_entry_addr()) }

// StoreSlot stores an 8-byte code pointer atomically (a stub slot another thread may be
// jumping through at the same time).
func StoreSlot(addr, v uint64) { atomic.StoreUint64((*uint64)(Ptr(addr)), v) }

// LoadSlot loads an 8-byte stub slot atomically.
func LoadSlot(addr uint64) uint64 { return atomic.LoadUint64((*uint64)(Ptr(addr))) }

var atExit struct {
	mu  sync.Mutex
	fns []func()
}

// AtExit runs f when the program exits through libc's exit, after the program's own atexit
// handlers (it is registered before the program starts); functions run in the order given.
func AtExit(f func()) {
	atExit.mu.Lock()
	defer atExit.mu.Unlock()
	if atExit.fns == nil {
		C.jitrun_lazy_at_exit()
	}
	atExit.fns = append(atExit.fns, f)
}

//export jitrunLazyAtExit
func jitrunLazyAtExit() {
	atExit.mu.Lock()
	fns := atExit.fns
	atExit.mu.Unlock()
	for _, f := range fns {
		f()
	}
}
