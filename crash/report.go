// Package crash produces jitrun's crash reports. When JIT'd or precompiled non-Go code
// faults or aborts, the signal handler in platform/linux (crash.c) starts this package's
// reporter, a separate process (jitrun __crash ...), and waits for it: the reporter stops
// the crashed process's threads with ptrace, reads the signal's context and the threads'
// registers, the memory maps and the JIT'd modules (the GDB JIT interface's list), unwinds
// every thread with call frame information, symbolicates each frame (ELF symbols, DWARF
// lines and inlined frames from the debug files, Go's line table, demangled names) and
// prints the report to the process's stderr; with --crash-report=FILE it also writes it as
// JSON (FILE) and in LLVM symbolizer markup (FILE.markup). `jitrun symbolize FILE`
// symbolicates such a file again, offline, from the debug files on disk.
package crash

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Format identifies the JSON report's format and version.
const Format = "jitrun-crash-report/1"

// Hex is an address or other 64-bit value, written "0x..." in JSON.
type Hex uint64

// MarshalJSON writes h as a quoted hexadecimal string.
func (h Hex) MarshalJSON() ([]byte, error) {
	return []byte(`"0x` + strconv.FormatUint(uint64(h), 16) + `"`), nil
}

// UnmarshalJSON reads a quoted hexadecimal (or decimal) string, or a number.
func (h *Hex) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return fmt.Errorf("bad address %q", string(b))
	}
	*h = Hex(v)
	return nil
}

// Report is a crash report.
type Report struct {
	Format    string     `json:"format"`
	Time      string     `json:"time,omitempty"`
	PID       int        `json:"pid"`
	Program   string     `json:"program,omitempty"`
	Signal    Signal     `json:"signal"`
	Registers []Register `json:"registers,omitempty"`
	Code      *Code      `json:"code,omitempty"`
	Threads   []Thread   `json:"threads"`
	Modules   []Module   `json:"modules"`
	DebugDir  string     `json:"debug_dir,omitempty"`
	// Notes are problems met while reporting (a thread that could not be stopped, ...).
	Notes []string `json:"notes,omitempty"`

	markup []markupLine // parsed from markup: its lines, for writeFiltered
}

// Signal describes the signal that ended the process.
type Signal struct {
	Number      int    `json:"number"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Code        int    `json:"code"`
	CodeName    string `json:"code_name"`
	CodeDesc    string `json:"code_description,omitempty"`
	// Addr is the fault address (si_addr) for faults; Sender the sending process for a
	// signal sent with kill, tkill, raise or sigqueue.
	Addr    *Hex   `json:"addr,omitempty"`
	Sender  int    `json:"sender_pid,omitempty"`
	Access  string `json:"access,omitempty"` // read, write, instruction fetch (page faults)
	Mapping string `json:"addr_mapping,omitempty"`
	// StackOverflow: the fault is the crashed thread running off its stack.
	StackOverflow bool `json:"stack_overflow,omitempty"`
	TID           int  `json:"tid"`
}

// Register is a register of the crashed thread at the signal.
type Register struct {
	Name  string `json:"name"`
	Value Hex    `json:"value"`
}

// Code holds the instruction bytes around the crashed thread's pc.
type Code struct {
	Addr  Hex    `json:"addr"`
	Bytes string `json:"bytes"` // hexadecimal
	PC    Hex    `json:"pc"`
}

// Thread is one thread's backtrace.
type Thread struct {
	TID     int     `json:"tid"`
	Name    string  `json:"name,omitempty"`
	State   string  `json:"state,omitempty"`
	Crashed bool    `json:"crashed,omitempty"`
	Runtime bool    `json:"runtime,omitempty"` // a thread of jitrun's Go runtime
	Frames  []Frame `json:"frames"`
	// Omitted frames (deep recursion) are left out between the kept ones: see Frame.Index.
	Omitted int    `json:"omitted,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Frame is one frame of a backtrace.
type Frame struct {
	Index int `json:"index"`
	PC    Hex `json:"pc"`
	// How the frame was found: context, cfi, fp or scan.
	How string `json:"how"`
	// Exact: PC is where the thread was interrupted, not a return address (symbolicated as
	// is, not at PC-1).
	Exact bool `json:"exact,omitempty"`
	// Signal: this frame is a signal trampoline (a handler was called from the next frame).
	Signal bool `json:"signal,omitempty"`
	Module int  `json:"module"` // index into Modules, or -1
	Offset Hex  `json:"offset"` // from the module's start
	// Symbols are the source locations of the frame, innermost inlined function first; the
	// last is the function the frame belongs to.
	Symbols []Symbol `json:"symbols,omitempty"`
}

// Symbol is a function (inlined or not) and where in it a frame is.
type Symbol struct {
	Function string `json:"function,omitempty"`
	Offset   *Hex   `json:"offset,omitempty"` // from the function's start (outermost only)
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Inlined  bool   `json:"inlined,omitempty"`
}

// Module is a loaded object: the executable, a shared library, the vDSO, or a JIT'd link
// batch.
type Module struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	// Kind: exe (jitrun), lib, vdso, jit, other.
	Kind    string    `json:"kind"`
	Path    string    `json:"path,omitempty"`
	BuildID string    `json:"build_id,omitempty"`
	Start   Hex       `json:"start"`
	End     Hex       `json:"end"`
	Bias    Hex       `json:"bias"` // run-time address = file address + bias
	Maps    []Mapping `json:"mappings,omitempty"`
	// DebugFile is the file DWARF came from, if any.
	DebugFile string `json:"debug_file,omitempty"`
}

// Mapping is one memory mapping of a module.
type Mapping struct {
	Start  Hex    `json:"start"`
	End    Hex    `json:"end"`
	Perm   string `json:"perm"`
	Offset Hex    `json:"file_offset"`
}

// MarshalIndent returns the report as indented JSON.
func (r *Report) MarshalIndent() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}

// ErrNotReport means the input is neither a JSON crash report nor symbolizer markup.
var ErrNotReport = errors.New("not a jitrun crash report (JSON) or symbolizer markup")

// Parse reads a crash report: JSON, or LLVM symbolizer markup (then only the modules and
// backtraces it carries, with the text between them in Text).
func Parse(data []byte) (*Report, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return nil, ErrNotReport
	}
	if t[0] == '{' && !bytes.HasPrefix(t, []byte("{{{")) {
		var r Report
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("malformed JSON crash report: %v", err)
		}
		if dec.More() {
			return nil, errors.New("malformed JSON crash report: data after the report")
		}
		if r.Format != Format {
			return nil, fmt.Errorf("unknown crash report format %q (want %q)", r.Format, Format)
		}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("malformed JSON crash report: %v", err)
		}
		return &r, nil
	}
	if bytes.Contains(t, []byte("{{{")) {
		return parseMarkup(t)
	}
	return nil, ErrNotReport
}

// validate checks the references between the report's parts.
func (r *Report) validate() error {
	for i, m := range r.Modules {
		if m.ID != i {
			return fmt.Errorf("module %d has id %d", i, m.ID)
		}
		if m.End < m.Start {
			return fmt.Errorf("module %d ends before it starts", i)
		}
	}
	for _, t := range r.Threads {
		for _, f := range t.Frames {
			if f.Module < -1 || f.Module >= len(r.Modules) {
				return fmt.Errorf("thread %d: frame %d names module %d of %d", t.TID, f.Index, f.Module, len(r.Modules))
			}
			switch f.How {
			case "context", "cfi", "fp", "scan":
			default:
				return fmt.Errorf("thread %d: frame %d: unknown method %q", t.TID, f.Index, f.How)
			}
		}
	}
	if r.Code != nil && len(r.Code.Bytes)%2 != 0 {
		return errors.New("code bytes: odd number of hex digits")
	}
	return nil
}

// moduleAt returns the index of the module containing addr, or -1.
func (r *Report) moduleAt(addr uint64) int {
	for i, m := range r.Modules {
		if addr >= uint64(m.Start) && addr < uint64(m.End) {
			return i
		}
	}
	return -1
}

func hexp(v uint64) *Hex { h := Hex(v); return &h }

func shortPath(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
