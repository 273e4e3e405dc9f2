package orcrt_test

import (
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/jitrun/jitrun/orcrt"
	"github.com/jitrun/jitrun/platform/linux"
)

// TestLazy links three objects with Options.Lazy: the data of the one that defines data is
// linked at start, the code of all three on its first call, made
// from several goroutines at once (their cgo calls enter the resolver trampoline). A
// function's address stays its stub's before and after, whoever takes it.
func TestLazy(t *testing.T) {
	for _, mode := range [][]string{{"-fPIE"}, {"-fno-pic"}, {"-mcmodel=large", "-fPIC"}} {
		t.Run(strings.Join(mode, ""), func(t *testing.T) {
			if !isolated(t) {
				return
			}
			data := compile(t, "data", `int counter = 5;
long twice(long);
void *twice_addr(void) { return (void *)twice; }
long twice_via(long x) { long (*f)(long) = twice; return f(x); }
`, mode...)
			twice := compile(t, "twice", `extern int counter;
long helper(long);
long twice(long x) { counter++; return helper(x) * 2; }
void *twice_self(void) { return (void *)twice; }
`, mode...)
			helper := compile(t, "helper", "#include <string.h>\nlong helper(long x) { return x + (long)strlen(\"abc\"); }\n", mode...)
			d := linkWith(t, orcrt.Options{NoDebug: true, Lazy: true}, data, twice, helper)
			st := d.LazyStats()
			// data.o is split: its data is linked at start, its code on a first call.
			if st.Objects != 3 || st.Eager != 0 || st.Split != 1 || st.Linked() != 0 {
				t.Fatalf("after Link: %+v, want 3 objects, none linked whole at start, 1 split", st)
			}
			look := func(name string) uint64 { return lookup(t, d, name) }
			stub := look("twice")
			if got := orcrt.Call(look("twice_addr")); got != stub {
				t.Errorf("address taken at start %#x, Lookup %#x", got, stub)
			}
			var wg sync.WaitGroup
			res := make([]uint64, 8)
			for i := range res {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res[i] = orcrt.Call(stub, uint64(i))
				}()
			}
			wg.Wait()
			for i, r := range res {
				if r != uint64(2*(i+3)) {
					t.Errorf("twice(%d) = %d, want %d", i, r, 2*(i+3))
				}
			}
			if got := orcrt.Call(look("twice_via"), 10); got != 26 {
				t.Errorf("twice_via(10) = %d", got)
			}
			if got := orcrt.Call(look("twice_self")); got != stub {
				t.Errorf("address taken by its own object %#x, Lookup %#x", got, stub)
			}
			if a := look("twice"); a != stub {
				t.Errorf("Lookup after linking %#x, before %#x", a, stub)
			}
			st = d.LazyStats()
			if st.Linked() != 3 || st.OnCall != 3 {
				t.Errorf("after calls: %+v, want all 3 linked on a call", st)
			}
		})
	}
}

// TestLazyDirectCalls: a batch linked after its callee's calls the callee's code directly,
// not through the stub (Link.Direct, SymExtra.Code), while the address it takes of the
// callee is still the stub.
func TestLazyDirectCalls(t *testing.T) {
	if !isolated(t) {
		return
	}
	callee := compile(t, "callee", "long callee(long x) { return x * 3; }\n", "-O1")
	caller := compile(t, "caller", `long callee(long);
long caller(long x) { return callee(x) + 1; }
void *callee_addr(void) { return (void *)callee; }
`, "-O1", "-fno-optimize-sibling-calls")
	d := linkWith(t, orcrt.Options{NoDebug: true, Lazy: true}, callee, caller)
	look := func(name string) uint64 { return lookup(t, d, name) }
	stub := look("callee")
	if got := orcrt.Call(stub, 5); got != 15 { // links callee.o
		t.Fatalf("callee(5) = %d", got)
	}
	if got := orcrt.Call(look("caller"), 5); got != 16 { // links caller.o, after callee.o
		t.Fatalf("caller(5) = %d", got)
	}
	if got := orcrt.Call(look("callee_addr")); got != stub {
		t.Errorf("callee's address taken by caller.o %#x, want its stub %#x", got, stub)
	}
	code, calleeCode := orcrt.LazyCode(d, "caller"), orcrt.LazyCode(d, "callee")
	if code == 0 || calleeCode == 0 || calleeCode == stub {
		t.Fatalf("caller's code %#x, callee's %#x (stub %#x)", code, calleeCode, stub)
	}
	// The first call instruction (e8 rel32) in caller's code.
	body := unsafe.Slice((*byte)(linux.Ptr(code)), 32)
	for i := 0; i+5 <= len(body); i++ {
		if body[i] == 0xe8 {
			rel := int32(uint32(body[i+1]) | uint32(body[i+2])<<8 | uint32(body[i+3])<<16 | uint32(body[i+4])<<24)
			if to := uint64(int64(code) + int64(i) + 5 + int64(rel)); to != calleeCode {
				t.Errorf("caller calls %#x, want callee's code %#x (its stub is %#x)", to, calleeCode, stub)
			}
			return
		}
	}
	t.Fatalf("no call in caller's code: % x", body)
}
