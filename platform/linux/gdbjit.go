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
	"unsafe"
)

// JITEntry is a symbol file registered with the GDB JIT interface.
type JITEntry struct{ p unsafe.Pointer }

// RegisterJITObject copies an in-memory symbol file (an ELF object) and registers it with
// the GDB JIT interface: a debugger attached now stops to read it, one that attaches later
// finds it in the list. It returns nil if memory is short.
func RegisterJITObject(img []byte) *JITEntry {
	if len(img) == 0 {
		return nil
	}
	p := C.jitrun_gdbjit_register(unsafe.Pointer(&img[0]), C.uint64_t(len(img)))
	if p == nil {
		return nil
	}
	return &JITEntry{p}
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
