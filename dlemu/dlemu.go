// Package dlemu emulates the dynamic-loader API (dlopen, dlsym, dlclose, dlerror, dladdr,
// dladdr1, dlinfo, dlvsym, dl_iterate_phdr) for JIT'd code: calls about JIT'd dylibs are
// answered by the session (a Loader), everything else by glibc, with glibc's semantics
// (per-thread dlerror, reference counts, handles that are pointers).
package dlemu

/*
#cgo CFLAGS: -I${SRCDIR}/../platform/linux
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include "dlemu.h"
*/
import "C"

import (
	"sync"
	"unsafe"
)

// Loader is the session side of the emulation.
type Loader interface {
	// Open loads (or references again) the JIT'd dylib a dlopen names; ours is false when
	// the name is not a JIT'd dylib (glibc then handles it).
	Open(name string, mode int) (handle uintptr, ours bool, err error)
	// Close drops a reference to the JIT'd dylib with this id.
	Close(id int64) error
	// Sym looks a symbol up: in dylib id, or with global set in the program and the
	// RTLD_GLOBAL JIT'd dylibs (RTLD_DEFAULT, dlopen(NULL)), or with next set after the
	// dylib containing caller (RTLD_NEXT).
	Sym(id int64, global, next bool, name, version string, caller uint64) (addr uint64, found bool, err error)
	// Addr describes the JIT'd code or data at addr, for dladdr.
	Addr(addr uint64) (AddrInfo, bool)
	// Origin is the directory a JIT'd dylib was loaded from.
	Origin(id int64) (string, error)
	// TLSModule is a JIT'd dylib's TLS module id (0 without TLS).
	TLSModule(id int64) uint64
	// Modules lists the loaded JIT'd dylibs, for dl_iterate_phdr.
	Modules() []Module
}

// AddrInfo is what dladdr reports.
type AddrInfo struct {
	File       unsafe.Pointer // stable C strings owned by the loader (see CString)
	Base       uint64
	Symbol     unsafe.Pointer
	SymbolAddr uint64
}

// Module is one JIT'd dylib as dl_iterate_phdr reports it.
type Module struct {
	Base     uint64
	Name     unsafe.Pointer // C string
	Phdrs    unsafe.Pointer // ElfW(Phdr) array in C memory
	NumPhdrs int
	TLSMod   uint64
}

var (
	mu     sync.RWMutex
	loader Loader
	adds   uint64 // dylibs ever loaded, for dlpi_adds
)

// SetLoader installs the session that answers for JIT'd dylibs.
func SetLoader(l Loader) {
	mu.Lock()
	loader = l
	active := C.int(0)
	if l != nil {
		active = 1
	}
	C.dlemu_active = active
	mu.Unlock()
}

// NoteLoad counts a JIT'd dylib load (dl_iterate_phdr's dlpi_adds).
func NoteLoad() {
	mu.Lock()
	adds++
	mu.Unlock()
}

func current() Loader {
	mu.RLock()
	defer mu.RUnlock()
	return loader
}

// Symbol returns the address of the wrapper JIT'd code binds to in place of the glibc
// function name, or 0 if name is not part of the dynamic-loader API.
func Symbol(name string) uint64 { return wrappers()[name] }

// wrappers maps the dynamic-loader API's names to their wrappers, read from dlemu.c's table
// once: a link asks about every libc function it binds to (CPython: ~450), each a C call
// with a copy of the name before (bind's serial part: 0.11 ms less for CPython).
var wrappers = sync.OnceValue(func() map[string]uint64 {
	m := map[string]uint64{}
	for i := 0; ; i++ {
		var name *C.char
		a := C.dlemu_symbol_at(C.int(i), &name)
		if a == 0 {
			return m
		}
		m[C.GoString(name)] = uint64(a)
	}
})

// NewHandle allocates the handle dlopen returns for JIT'd dylib id.
func NewHandle(id int64, base uint64, name unsafe.Pointer) uintptr {
	return uintptr(C.dlemu_new_handle(C.long(id), C.uintptr_t(base), (*C.char)(name)))
}

// FreeHandle releases a handle from NewHandle.
func FreeHandle(h uintptr) { C.dlemu_free_handle(*(*unsafe.Pointer)(unsafe.Pointer(&h))) }

// CString makes a C string that lives until freed with FreeCString.
func CString(s string) unsafe.Pointer { return unsafe.Pointer(C.CString(s)) }

// FreeCString frees a string from CString.
func FreeCString(p unsafe.Pointer) { C.free(p) }

// CBytes copies b into C memory (freed with FreeCBytes).
func CBytes(b []byte) unsafe.Pointer { return C.CBytes(b) }

// FreeCBytes frees memory from CBytes.
func FreeCBytes(p unsafe.Pointer) { C.free(p) }

func putMsg(dst *C.char, n C.int, msg string) {
	if n <= 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(dst)), int(n))
	k := copy(b[:n-1], msg)
	b[k] = 0
}

//export dlemuGoOpen
func dlemuGoOpen(file *C.char, mode C.int, msg *C.char, n C.int) C.uintptr_t {
	l := current()
	if l == nil || file == nil {
		return 0
	}
	h, ours, err := l.Open(C.GoString(file), int(mode))
	if !ours {
		return 0
	}
	if err != nil {
		putMsg(msg, n, err.Error())
		return ^C.uintptr_t(0)
	}
	return C.uintptr_t(h)
}

//export dlemuGoClose
func dlemuGoClose(id C.long, msg *C.char, n C.int) C.int {
	l := current()
	if l == nil {
		putMsg(msg, n, "no JIT'd dylibs")
		return -1
	}
	if err := l.Close(int64(id)); err != nil {
		putMsg(msg, n, err.Error())
		return -1
	}
	return 0
}

//export dlemuGoSym
func dlemuGoSym(id C.long, global, next C.int, name, version *C.char, caller C.uintptr_t, found *C.int, msg *C.char, n C.int) C.uintptr_t {
	*found = 0
	l := current()
	if l == nil {
		return 0
	}
	ver := ""
	if version != nil {
		ver = C.GoString(version)
	}
	a, ok, err := l.Sym(int64(id), global != 0, next != 0, C.GoString(name), ver, uint64(caller))
	if err != nil {
		putMsg(msg, n, err.Error())
	}
	if ok {
		*found = 1
	}
	return C.uintptr_t(a)
}

//export dlemuGoAddr
func dlemuGoAddr(addr C.uintptr_t, infop unsafe.Pointer) C.int {
	info := (*C.Dl_info)(infop)
	l := current()
	if l == nil {
		return 0
	}
	ai, ok := l.Addr(uint64(addr))
	if !ok {
		return 0
	}
	info.dli_fname = (*C.char)(ai.File)
	info.dli_fbase = *(*unsafe.Pointer)(unsafe.Pointer(&ai.Base))
	info.dli_sname = (*C.char)(ai.Symbol)
	info.dli_saddr = *(*unsafe.Pointer)(unsafe.Pointer(&ai.SymbolAddr))
	return 1
}

//export dlemuGoOrigin
func dlemuGoOrigin(id C.long, dst *C.char, dn C.int, msg *C.char, n C.int) C.int {
	l := current()
	if l == nil {
		return -1
	}
	o, err := l.Origin(int64(id))
	if err != nil {
		putMsg(msg, n, err.Error())
		return -1
	}
	putMsg(dst, dn, o)
	return 0
}

//export dlemuGoTLSModule
func dlemuGoTLSModule(id C.long) C.size_t {
	l := current()
	if l == nil {
		return 0
	}
	return C.size_t(l.TLSModule(int64(id)))
}

//export dlemuGoIteratePhdr
func dlemuGoIteratePhdr(ctx unsafe.Pointer) {
	l := current()
	if l == nil {
		return
	}
	mu.RLock()
	a := adds
	mu.RUnlock()
	for _, m := range l.Modules() {
		if C.dlemu_call_phdr_cb(ctx, C.uintptr_t(m.Base), (*C.char)(m.Name), m.Phdrs, C.int(m.NumPhdrs),
			C.ulonglong(a), C.size_t(m.TLSMod)) != 0 {
			return
		}
	}
}
