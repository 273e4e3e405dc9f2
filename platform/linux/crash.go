package linux

/*
#include <stdlib.h>
#include "crash.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// The Go runtime's code, [runtime.text, runtime.etext): faults there are Go's (nil-pointer
// panics), and the crash handler passes them to Go's handler.
//
//go:linkname goText runtime.text
var goText byte

//go:linkname goEtext runtime.etext
var goEtext byte

// GoText returns the bounds of the Go runtime's code in the executable.
func GoText() (lo, hi uint64) {
	return uint64(uintptr(unsafe.Pointer(&goText))), uint64(uintptr(unsafe.Pointer(&goEtext)))
}

var crashConfigured bool

// EnableCrashReports arranges for RunMain to install the crash handler: a fault or abort in
// non-Go code then starts exe with args, followed by one argument "--crash=PID:TID:SIG:
// CODE:ADDR:PC:SIGINFO:UCONTEXT" (hexadecimal; SIGINFO and UCONTEXT are addresses in this
// process), and environment env, and waits for it to exit before the process dies by the
// signal. The vectors are copied now: nothing is allocated when the signal arrives.
func EnableCrashReports(exe string, args, env []string) error {
	ce := C.CString(exe)
	defer C.free(unsafe.Pointer(ce))
	av := cVector(args)
	ev := cVector(env)
	defer freeVector(av, len(args))
	defer freeVector(ev, len(env))
	if C.jitrun_crash_configure(ce, av, C.int(len(args)), ev, C.int(len(env))) != 0 {
		return errors.New("crash reports: out of memory")
	}
	lo, hi := GoText()
	C.jitrun_crash_set_go_text(C.uintptr_t(lo), C.uintptr_t(hi))
	crashConfigured = true
	return nil
}

// InstallCrashHandler installs the crash handler now (RunMain does, right before the program
// starts, if EnableCrashReports was called). Without EnableCrashReports a crash is still
// handled (the program's handlers, the native exit), only without a report.
func InstallCrashHandler() {
	lo, hi := GoText()
	C.jitrun_crash_set_go_text(C.uintptr_t(lo), C.uintptr_t(hi))
	C.jitrun_crash_install()
}

// CrashHandlerInstalled reports whether InstallCrashHandler has run.
func CrashHandlerInstalled() bool { return C.jitrun_crash_installed() != 0 }

// DebugWriteBegin and DebugWriteEnd bracket a debug file written in the background: a crash
// waits (up to 2 s) for the writes under way, so the reporter finds file:line information.
func DebugWriteBegin() { C.jitrun_debug_write_begin() }

// DebugWriteEnd marks the end of a write begun with DebugWriteBegin.
func DebugWriteEnd() { C.jitrun_debug_write_end() }

func cVector(ss []string) **C.char {
	p := (**C.char)(C.calloc(C.size_t(len(ss)+1), 8))
	v := unsafe.Slice(p, len(ss)+1)
	for i, s := range ss {
		v[i] = C.CString(s)
	}
	return p
}

func freeVector(p **C.char, n int) {
	v := unsafe.Slice(p, n+1)
	for _, s := range v[:n] {
		C.free(unsafe.Pointer(s))
	}
	C.free(unsafe.Pointer(p))
}
