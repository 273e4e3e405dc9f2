package crash

import "fmt"

var signalNames = map[int][2]string{
	4:  {"SIGILL", "Illegal instruction"},
	5:  {"SIGTRAP", "Trace/breakpoint trap"},
	6:  {"SIGABRT", "Aborted"},
	7:  {"SIGBUS", "Bus error"},
	8:  {"SIGFPE", "Floating point exception"},
	11: {"SIGSEGV", "Segmentation fault"},
}

// signalName returns a signal's name and description.
func signalName(sig int) (string, string) {
	if n, ok := signalNames[sig]; ok {
		return n[0], n[1]
	}
	return fmt.Sprintf("signal %d", sig), fmt.Sprintf("signal %d", sig)
}

type codeName struct{ name, desc string }

// Signal-specific si_code values (asm-generic/siginfo.h).
var signalCodes = map[int]map[int]codeName{
	11: {1: {"SEGV_MAPERR", "address not mapped to object"}, 2: {"SEGV_ACCERR", "invalid permissions for mapped object"},
		3: {"SEGV_BNDERR", "failed address bound checks"}, 4: {"SEGV_PKUERR", "access was denied by memory protection keys"}},
	7: {1: {"BUS_ADRALN", "invalid address alignment"}, 2: {"BUS_ADRERR", "nonexistent physical address"},
		3: {"BUS_OBJERR", "object-specific hardware error"}, 4: {"BUS_MCEERR_AR", "hardware memory error consumed on a machine check"},
		5: {"BUS_MCEERR_AO", "hardware memory error detected in process but not consumed"}},
	4: {1: {"ILL_ILLOPC", "illegal opcode"}, 2: {"ILL_ILLOPN", "illegal operand"}, 3: {"ILL_ILLADR", "illegal addressing mode"},
		4: {"ILL_ILLTRP", "illegal trap"}, 5: {"ILL_PRVOPC", "privileged opcode"}, 6: {"ILL_PRVREG", "privileged register"},
		7: {"ILL_COPROC", "coprocessor error"}, 8: {"ILL_BADSTK", "internal stack error"}},
	8: {1: {"FPE_INTDIV", "integer divide by zero"}, 2: {"FPE_INTOVF", "integer overflow"},
		3: {"FPE_FLTDIV", "floating-point divide by zero"}, 4: {"FPE_FLTOVF", "floating-point overflow"},
		5: {"FPE_FLTUND", "floating-point underflow"}, 6: {"FPE_FLTRES", "floating-point inexact result"},
		7: {"FPE_FLTINV", "floating-point invalid operation"}, 8: {"FPE_FLTSUB", "subscript out of range"}},
	5: {1: {"TRAP_BRKPT", "process breakpoint"}, 2: {"TRAP_TRACE", "process trace trap"},
		3: {"TRAP_BRANCH", "process taken branch trap"}, 4: {"TRAP_HWBKPT", "hardware breakpoint/watchpoint"}},
}

// General si_code values.
var generalCodes = map[int]codeName{
	0:    {"SI_USER", "sent by kill"},
	0x80: {"SI_KERNEL", "sent by the kernel"},
	-1:   {"SI_QUEUE", "sent by sigqueue"},
	-2:   {"SI_TIMER", "POSIX timer expired"},
	-3:   {"SI_MESGQ", "POSIX message queue state changed"},
	-4:   {"SI_ASYNCIO", "AIO completed"},
	-5:   {"SI_SIGIO", "queued SIGIO"},
	-6:   {"SI_TKILL", "sent by tkill or raise (abort, assert)"},
}

// decodeCode names a signal's si_code.
func decodeCode(sig, code int) (string, string) {
	if code > 0 && code < 0x80 {
		if c, ok := signalCodes[sig][code]; ok {
			return c.name, c.desc
		}
	}
	if c, ok := generalCodes[code]; ok {
		if sig == 11 && code == 0x80 {
			return c.name, "general protection fault (a non-canonical address or a privileged instruction; the address is not reported)"
		}
		return c.name, c.desc
	}
	return fmt.Sprintf("%d", code), ""
}

// hasFaultAddr reports whether si_addr is meaningful for the signal and code.
func hasFaultAddr(sig, code int) bool {
	if code <= 0 || code == 0x80 {
		return false
	}
	switch sig {
	case 4, 5, 7, 8, 11:
		return true
	}
	return false
}
