package linux

/*
// -rdynamic keeps __jit_debug_register_code and __jit_debug_descriptor in .dynsym, so
// debuggers find them in a stripped host (-ldflags=-s). cgo does not accept
// -Wl,--export-dynamic-symbol; the host's few C symbols are exported with them.
#cgo LDFLAGS: -rdynamic
#include "gdbjit.h"
*/
import "C"

import (
	"bytes"
	"sync"
	"syscall"
	"unsafe"
)

// JITEntry is a symbol file registered with the GDB JIT interface.
type JITEntry struct{ p unsafe.Pointer }

// RegisterJITObject registers an in-memory symbol file (an ELF object) with the GDB JIT
// interface: a debugger attached now stops to read it, one that attaches later finds it in
// the list. An image from AllocJITObject is registered in place (it must stay mapped until
// the entry is unregistered); any other is copied. It returns nil if memory is short.
func RegisterJITObject(img []byte) *JITEntry {
	if len(img) == 0 {
		return nil
	}
	cp := C.int(1)
	if isJITObjectMapping(img) {
		cp = 0
	}
	p := C.jitrun_gdbjit_register(unsafe.Pointer(&img[0]), C.uint64_t(len(img)), cp)
	if p == nil {
		return nil
	}
	return &JITEntry{p}
}

// jitObjectMin is the size from which AllocJITObject maps memory of its own: a symbol file
// that large is registered where it was written, not copied (clang's, ~50 MB, took 90 ms of
// CPU to copy into fresh pages). Smaller ones come from the Go heap and are copied: a mapping
// each would add up over a lazy program's hundreds of batches.
const jitObjectMin = 1 << 20

var jitObjects sync.Map // start address of each AllocJITObject mapping -> its length

// AllocJITObject returns size bytes for a symbol file that RegisterJITObject can register
// without copying (outside the Go heap, which cgo does not let C keep pointers into), or a
// Go slice if size is small. FreeJITObject releases it once no entry refers to it.
func AllocJITObject(size int) []byte {
	if size < jitObjectMin {
		return make([]byte, size)
	}
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
	if err != nil {
		return make([]byte, size)
	}
	jitObjects.Store(uintptr(unsafe.Pointer(&b[0])), len(b))
	return b
}

// FreeJITObject releases memory from AllocJITObject (a no-op for Go slices).
func FreeJITObject(b []byte) {
	if isJITObjectMapping(b) {
		jitObjects.Delete(uintptr(unsafe.Pointer(&b[0])))
		syscall.Munmap(b)
	}
}

func isJITObjectMapping(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	n, ok := jitObjects.Load(uintptr(unsafe.Pointer(&b[0])))
	return ok && n.(int) == len(b)
}

// Unregister removes the entry from the GDB JIT list (the debugger drops its symbols) and
// frees the copy.
func (e *JITEntry) Unregister() {
	if e == nil || e.p == nil {
		return
	}
	C.jitrun_gdbjit_unregister(e.p)
	e.p = nil
}

// JITObjectCount returns the number of symbol files in the GDB JIT list.
func JITObjectCount() int { return int(C.jitrun_gdbjit_count()) }

// Traced reports whether a debugger (any ptrace tracer) is attached to the process now.
func Traced() bool {
	b, err := readSmallFile("/proc/self/status")
	if err != nil {
		return false
	}
	i := bytes.Index(b, []byte("\nTracerPid:"))
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(b[i+len("\nTracerPid:"):], " \t")
	return len(rest) > 0 && rest[0] != '0'
}
