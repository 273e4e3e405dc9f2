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
	"syscall"
	"unsafe"
)

// JITEntry is a symbol file registered with the GDB JIT interface.
type JITEntry struct{ p unsafe.Pointer }

// JITObject is an in-memory symbol file (an ELF object) for the GDB JIT interface.
type JITObject struct {
	Data   []byte
	mapped bool // Data is a mapping of its own (AllocJITObject), outside the Go heap
}

// jitObjectMin is the size from which AllocJITObject maps memory of its own: a symbol file
// that large is registered where it was written, not copied (clang's, ~50 MB, took 90 ms of
// CPU to copy into fresh pages). Smaller ones come from the Go heap and are copied: a mapping
// each would add up over a lazy program's hundreds of batches.
const jitObjectMin = 1 << 20

// AllocJITObject returns a zeroed symbol file of size bytes to write: outside the Go heap
// (which cgo does not let C keep pointers into) if it is large, so that RegisterJITObject
// can register it without a copy. FreeJITObject releases it once no entry refers to it.
func AllocJITObject(size int) JITObject {
	if size >= jitObjectMin {
		b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
		if err == nil {
			return JITObject{b, true}
		}
	}
	return JITObject{Data: make([]byte, size)}
}

// FreeJITObject releases a symbol file from AllocJITObject.
func FreeJITObject(o JITObject) {
	if o.mapped {
		syscall.Munmap(o.Data)
	}
}

// RegisterJITObject registers a symbol file with the GDB JIT interface: a debugger attached
// now stops to read it, one that attaches later finds it in the list. A mapped one is
// registered in place (it must stay mapped until the entry is unregistered); one in the Go
// heap is copied. It returns nil if memory is short.
func RegisterJITObject(o JITObject) *JITEntry {
	if len(o.Data) == 0 {
		return nil
	}
	cp := C.int(1)
	if o.mapped {
		cp = 0
	}
	p := C.jitrun_gdbjit_register(unsafe.Pointer(&o.Data[0]), C.uint64_t(len(o.Data)), cp)
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
