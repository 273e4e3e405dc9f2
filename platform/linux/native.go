package linux

/*
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include <dlfcn.h>
#include "glue.h"
#include "crash.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"
)

func init() {
	// JIT'd main must run on the process's main thread (its 8 MiB stack, and what threads,
	// signals and debuggers expect of a program's main thread).
	runtime.LockOSThread()
}

// Library is a shared library loaded into the process by the dynamic loader.
type Library struct {
	Path   string
	Handle unsafe.Pointer
	Base   uint64

	memPath string // for an in-memory object, the path it was loaded by (see claimPath)
}

// Dlopen loads a shared library (RTLD_NOW|RTLD_GLOBAL, so libraries loaded later, such as
// extension modules, bind to it as they would in a native process) and returns its load base.
func Dlopen(path string) (*Library, error) { return dlopenFlags(path, rtldNow|rtldGlobal) }

const (
	rtldNow    = C.RTLD_NOW
	rtldGlobal = C.RTLD_GLOBAL
)

func dlopenFlags(path string, flags int) (*Library, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	h := C.jitrun_dlopen(cs, C.int(flags))
	if h == nil {
		return nil, errors.New(C.GoString(C.jitrun_dlerror()))
	}
	return &Library{Path: path, Handle: h, Base: uint64(C.jitrun_load_base(h))}, nil
}

// Sym asks the dynamic loader for a symbol of this library (used for IFUNCs, whose selected
// implementation only the loader knows), optionally of a given version.
func (l *Library) Sym(name, version string) uint64 {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if version != "" {
		cv := C.CString(version)
		defer C.free(unsafe.Pointer(cv))
		return uint64(uintptr(C.jitrun_dlvsym(l.Handle, cs, cv)))
	}
	return uint64(uintptr(C.jitrun_dlsym(l.Handle, cs)))
}

// HostVar returns the address of the host executable's copy of a libc variable (stdout,
// environ, optind, ...), or 0 when the host has none.
func HostVar(name string) uint64 { return hostVars()[name] }

// RuntimeSymbol returns the address of a definition jitrun itself provides to JIT'd code in
// place of a library's (sigaction and signal, which must add SA_ONSTACK), or 0.
func RuntimeSymbol(name string) uint64 { return runtimeSymbols()[name] }

// hostVars and runtimeSymbols are glue.c's tables, read once: a link asks about every libc
// function it binds to (CPython: ~450), each a C call per table with a copy of the name
// before (with dlemu.Symbol, bind's serial part: 0.11 ms less for CPython).
var (
	hostVars = sync.OnceValue(func() map[string]uint64 {
		return cTable(func(i C.int, name **C.char) uint64 { return uint64(uintptr(C.jitrun_hostvar_at(i, name))) })
	})
	runtimeSymbols = sync.OnceValue(func() map[string]uint64 {
		return cTable(func(i C.int, name **C.char) uint64 { return uint64(C.jitrun_runtime_symbol_at(i, name)) })
	})
)

// cTable reads a C table of names and addresses through its accessor, which returns 0 past
// the end.
func cTable(at func(C.int, **C.char) uint64) map[string]uint64 {
	m := map[string]uint64{}
	for i := C.int(0); ; i++ {
		var name *C.char
		a := at(i, &name)
		if a == 0 {
			return m
		}
		m[C.GoString(name)] = a
	}
}

// Call calls a JIT'd function with up to six integer arguments and returns its integer result.
func Call(fn uint64, args ...uint64) uint64 {
	var a [6]uint64
	copy(a[:], args)
	return uint64(C.jitrun_call(C.uintptr_t(fn), C.uintptr_t(a[0]), C.uintptr_t(a[1]), C.uintptr_t(a[2]),
		C.uintptr_t(a[3]), C.uintptr_t(a[4]), C.uintptr_t(a[5])))
}

// RegisterEHFrame registers a complete .eh_frame section (ending in a zero word) with the
// unwinder the C++ runtime uses (libgcc_s).
func RegisterEHFrame(addr uint64) error {
	if C.jitrun_register_eh_frame(Ptr(addr)) != 0 {
		return errors.New("cannot register unwind info: __register_frame not found in libgcc_s.so.1")
	}
	return nil
}

// DeregisterEHFrame removes a registration made by RegisterEHFrame.
func DeregisterEHFrame(addr uint64) { C.jitrun_deregister_eh_frame(Ptr(addr)) }

// cArray copies a list of addresses into C memory that lives for the rest of the process.
func cArray(fns []uint64) *C.uintptr_t {
	if len(fns) == 0 {
		return nil
	}
	p := (*C.uintptr_t)(C.malloc(C.size_t(len(fns) * 8)))
	copy(unsafe.Slice((*uint64)(unsafe.Pointer(p)), len(fns)), fns)
	return p
}

// cStrings builds a NULL-terminated C string vector that lives for the rest of the process.
func cStrings(ss []string) **C.char {
	p := (**C.char)(C.malloc(C.size_t((len(ss) + 1) * 8)))
	v := unsafe.Slice(p, len(ss)+1)
	for i, s := range ss {
		v[i] = C.CString(s)
	}
	v[len(ss)] = nil
	return p
}

// RegisterFinalizers arranges for fns to run, in the given order, when the process exits,
// after every atexit handler registered later (as a native executable's .fini_array).
func RegisterFinalizers(fns []uint64) error {
	if len(fns) == 0 {
		return nil
	}
	if C.jitrun_register_finis(cArray(fns), C.long(len(fns))) != 0 {
		return errors.New("cannot register finalizers")
	}
	return nil
}

// Program is what RunMain needs to start a JIT'd program.
type Program struct {
	Main  uint64
	Inits []uint64 // run in order with (argc, argv, envp) before main
	Argv  []string
}

// RunMain restores the signal dispositions a native program would start with, runs the
// initializers and main on the calling (main) thread, then exits the process through libc's
// exit with main's status. It does not return.
func RunMain(p Program) {
	argv := cStrings(p.Argv)
	if len(p.Argv) > 0 {
		C.jitrun_set_progname(*argv)
	}
	C.jitrun_restore_signals()
	if crashConfigured {
		C.jitrun_crash_install() // after the Go runtime's handlers, before the program's code
	}
	C.jitrun_release_low_fds()
	C.jitrun_program_thread() // the program's main thread from here on (crash.c)
	// envp nil: the C side passes libc's own environ, as a native start does.
	C.jitrun_run_inits(cArray(p.Inits), C.long(len(p.Inits)), C.int(len(p.Argv)), argv, nil)
	C.jitrun_run_main(C.uintptr_t(p.Main), C.int(len(p.Argv)), argv, nil)
	panic("unreachable: main returned through exit")
}

// RunInitializers runs a dylib's initializers, in order, with (argc, argv, envp) as glibc
// passes them to a dlopen'ed library's constructors.
func RunInitializers(fns []uint64, argv []string) {
	if len(fns) == 0 {
		return
	}
	p := cArray(fns)
	C.jitrun_run_inits(p, C.long(len(fns)), C.int(len(argv)), cStrings(argv), nil)
	C.free(unsafe.Pointer(p))
}

// FiniList is a dylib's finalizers (.fini_array in run order) in C memory.
type FiniList struct {
	fns *C.uintptr_t
	n   int
}

// NewFiniList copies fns to C memory.
func NewFiniList(fns []uint64) FiniList {
	p := (*C.uintptr_t)(C.malloc(C.size_t(len(fns)*8 + 8)))
	copy(unsafe.Slice((*uint64)(unsafe.Pointer(p)), len(fns)), fns)
	return FiniList{p, len(fns)}
}

// Run runs the finalizers (dlclose, after Finalize of the dylib's atexit handlers).
func (f FiniList) Run() {
	if f.n > 0 {
		C.jitrun_run_fini_list(f.fns, C.long(f.n))
	}
}

// Free releases the list; it must no longer be in the exit order.
func (f FiniList) Free() { C.free(unsafe.Pointer(f.fns)) }

// RegisterExitFinalizers installs, once, the exit handler that runs the finalizers of JIT'd
// dylibs still loaded (see SetExitFinalizers). Registered before the program's own
// finalizers and atexit handlers, it runs after them, as glibc's _dl_fini does.
func RegisterExitFinalizers() { C.jitrun_register_dylib_exit() }

// SetExitFinalizers sets the lists the exit handler runs, in order.
func SetExitFinalizers(lists []FiniList) {
	p := (*C.struct_jitrun_fini_list)(C.malloc(C.size_t(len(lists)*16 + 16)))
	arr := unsafe.Slice(p, len(lists))
	for i, l := range lists {
		arr[i].fns = l.fns
		arr[i].n = C.long(l.n)
	}
	C.jitrun_set_dylib_exit_order(p, C.long(len(lists)))
}

// Finalize runs what was registered with dso (__cxa_finalize).
func Finalize(dso uint64) { C.jitrun_cxa_finalize(Ptr(dso)) }

// Close unloads a library loaded with Dlopen (or an in-memory object).
func (l *Library) Close() error {
	if C.jitrun_dlclose(l.Handle) != 0 {
		return errors.New(C.GoString(C.jitrun_dlerror()))
	}
	if l.memPath != "" {
		releasePath(l.memPath)
	}
	return nil
}
