package crash

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/jitrun/jitrun/platform/linux"
	"github.com/jitrun/jitrun/unwind"
)

// ReporterCommand is the hidden subcommand that runs the reporter: jitrun __crash ...
const ReporterCommand = "__crash"

// reporterTimeout bounds the reporter's work: the crashed process waits for it.
const reporterTimeout = 20 * time.Second

// Frame limits: the crashed thread is unwound deep (a stack overflow's recursion), the
// report keeps its innermost and outermost frames.
const (
	maxCrashedFrames = 500000
	maxOtherFrames   = 512
	keepInner        = 48
	keepOuter        = 24
)

type reporter struct {
	pid, tid, sig int
	code          int
	addr, pc      uint64
	infoAddr      uint64
	ucAddr        uint64
	debugDir      string
	reportFile    string
	program       string

	mem      *procMem
	maps     []mapping
	codeMaps []int // indices of executable mappings in maps, by address
	mods     []*modSyms
	host     *modSyms
	stopped  map[int]int // stopped threads: the signal to deliver when detaching
	notes    []string
	start    time.Time
}

// RunReporter is jitrun __crash: it reports the crash described by its arguments (see
// linux.EnableCrashReports) and returns the exit status.
func RunReporter(args []string) int {
	runtime.LockOSThread()  // every ptrace request must come from the tracing thread
	debug.SetGCPercent(400) // short-lived, allocation-heavy (DWARF): collect less often
	rp := &reporter{start: time.Now()}
	if err := rp.parseArgs(args); err != nil {
		fmt.Fprintf(os.Stderr, "jitrun: crash reporter: %v\n", err)
		return 2
	}
	time.AfterFunc(reporterTimeout, func() {
		os.Stderr.WriteString("jitrun: crash reporter: timed out\n")
		os.Exit(3)
	})
	r := rp.run()
	var out bytes.Buffer
	r.WriteText(&out)
	if rp.reportFile != "" {
		if err := writeReportFiles(r, rp.reportFile); err != nil {
			fmt.Fprintf(&out, "jitrun: crash report: %v\n", err)
		} else {
			fmt.Fprintf(&out, "jitrun: crash report written to %s (JSON; jitrun symbolize %s) and %s.markup (symbolizer markup)\n",
				rp.reportFile, rp.reportFile, rp.reportFile)
		}
	}
	os.Stderr.Write(out.Bytes())
	return 0
}

func writeReportFiles(r *Report, path string) error {
	j, err := r.MarshalIndent()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(j, '\n'), 0o644); err != nil {
		return err
	}
	var m bytes.Buffer
	r.WriteMarkup(&m)
	return os.WriteFile(path+".markup", m.Bytes(), 0o644)
}

func (rp *reporter) parseArgs(args []string) error {
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("bad argument %q", a)
		}
		switch k {
		case "--debug-dir":
			rp.debugDir = v
		case "--report":
			rp.reportFile = v
		case "--program":
			rp.program = v
		case "--crash":
			f := strings.Split(v, ":")
			if len(f) != 8 {
				return fmt.Errorf("bad --crash %q", v)
			}
			var n [8]uint64
			for i, s := range f {
				x, err := strconv.ParseUint(s, 0, 64)
				if err != nil {
					return fmt.Errorf("bad --crash %q", v)
				}
				n[i] = x
			}
			rp.pid, rp.tid, rp.sig = int(n[0]), int(n[1]), int(n[2])
			rp.code = int(int32(uint32(n[3])))
			rp.addr, rp.pc, rp.infoAddr, rp.ucAddr = n[4], n[5], n[6], n[7]
		default:
			return fmt.Errorf("unknown argument %q", a)
		}
	}
	if rp.pid <= 0 || rp.tid <= 0 {
		return errors.New("no --crash")
	}
	return nil
}

func (rp *reporter) note(format string, args ...any) {
	rp.notes = append(rp.notes, fmt.Sprintf(format, args...))
}

type threadInfo struct {
	tid         int
	name, state string
	regs        unwind.Regs
	err         string
}

// run collects the report: the threads are stopped while their stacks are read.
func (rp *reporter) run() *Report {
	r := &Report{Format: Format, Time: time.Now().UTC().Format(time.RFC3339Nano), PID: rp.pid,
		Program: rp.program, DebugDir: rp.debugDir}
	rp.mem = newProcMem(rp.pid)
	defer rp.mem.close()

	threads := rp.listThreads()
	rp.stopThreads(threads)
	defer rp.detach()

	// The crashed thread: the signal's siginfo and context.
	name, desc := signalName(rp.sig)
	s := Signal{Number: rp.sig, Name: name, Description: desc, Code: rp.code, TID: rp.tid}
	s.CodeName, s.CodeDesc = decodeCode(rp.sig, rp.code)
	var si [128]byte
	if err := rp.mem.ReadAt(si[:], rp.infoAddr); err == nil {
		s.Code = int(int32(binary.LittleEndian.Uint32(si[8:])))
		s.CodeName, s.CodeDesc = decodeCode(rp.sig, s.Code)
		if s.Code <= 0 {
			s.Sender = int(int32(binary.LittleEndian.Uint32(si[16:])))
		}
	} else {
		rp.note("cannot read the signal's siginfo from the process: %v", err)
	}
	if hasFaultAddr(rp.sig, s.Code) {
		s.Addr = hexp(rp.addr)
	}
	var crashed unwind.Regs
	var gregs [23 * 8]byte
	haveContext := rp.mem.ReadAt(gregs[:], rp.ucAddr+40) == nil
	if haveContext {
		crashed = unwind.FromGregs(gregs[:])
		g := func(i int) uint64 { return binary.LittleEndian.Uint64(gregs[8*i:]) }
		names := []struct {
			n string
			v uint64
		}{{"rax", g(13)}, {"rbx", g(11)}, {"rcx", g(14)}, {"rdx", g(12)}, {"rsi", g(9)}, {"rdi", g(8)},
			{"rbp", g(10)}, {"rsp", g(15)}, {"r8", g(0)}, {"r9", g(1)}, {"r10", g(2)}, {"r11", g(3)},
			{"r12", g(4)}, {"r13", g(5)}, {"r14", g(6)}, {"r15", g(7)}, {"rip", g(16)}, {"eflags", g(17)},
			{"err", g(19)}, {"trapno", g(20)}}
		for _, x := range names {
			r.Registers = append(r.Registers, Register{x.n, Hex(x.v)})
		}
		if (rp.sig == 11 || rp.sig == 7) && g(20) == 14 && s.Code > 0 { // a page fault
			switch e := g(19); {
			case e&16 != 0:
				s.Access = "instruction fetch"
			case e&2 != 0:
				s.Access = "write"
			default:
				s.Access = "read"
			}
		}
	} else {
		rp.note("cannot read the signal's context from the process: using the pc only")
		crashed.Set(unwind.RIP, rp.pc)
	}

	rp.readMaps()
	rp.loadModules()
	for _, ms := range rp.mods {
		r.Modules = append(r.Modules, *ms.m)
	}
	for i := range r.Modules {
		rp.mods[i].m = &r.Modules[i]
	}

	if s.Addr != nil {
		s.Mapping, s.StackOverflow = rp.describeAddr(rp.addr, crashed.SP())
	}
	r.Signal = s
	if c := rp.codeBytes(crashed.PC()); c != nil {
		r.Code = c
	}

	// Backtraces: the crashed thread first.
	all := []threadInfo{{tid: rp.tid, regs: crashed}}
	for _, t := range threads {
		if t.tid == rp.tid {
			all[0].name, all[0].state = t.name, t.state
			continue
		}
		if _, ok := rp.stopped[t.tid]; !ok {
			// Not stopped (a debugger traces the process, or ptrace is not allowed): a
			// thread blocked in a system call still tells where (its stack and program
			// counter), enough to unwind it.
			if regs, ok := rp.syscallRegs(t.tid); ok {
				t.regs = regs
				t.err += "; unwound from the system call it is blocked in"
			} else {
				t.err = "not stopped: " + t.err
			}
			all = append(all, t)
			continue
		}
		var regs syscall.PtraceRegs
		if err := syscall.PtraceGetRegs(t.tid, &regs); err != nil {
			t.err = fmt.Sprintf("cannot read registers: %v", err)
		} else {
			t.regs = regsFromPtrace(&regs)
		}
		all = append(all, t)
	}
	for _, t := range all {
		th := Thread{TID: t.tid, Name: t.name, State: t.state, Crashed: t.tid == rp.tid, Error: t.err}
		if t.regs.Valid != 0 {
			max := maxOtherFrames
			if th.Crashed {
				max = maxCrashedFrames
			}
			th.Frames, th.Omitted = rp.backtrace(t.regs, max)
			th.Runtime = !th.Crashed && rp.allRuntime(th.Frames)
		}
		r.Threads = append(r.Threads, th)
	}
	rp.detach() // the stacks are read: let the threads go (the process is about to die)
	for ti := range r.Threads {
		for fi := range r.Threads[ti].Frames {
			f := &r.Threads[ti].Frames[fi]
			if f.Module >= 0 {
				f.Symbols = rp.mods[f.Module].symbolize(uint64(f.PC), f.Exact || f.Signal) // a trampoline: its own address
			}
		}
	}
	sort.SliceStable(r.Threads[1:], func(i, j int) bool { return r.Threads[1+i].TID < r.Threads[1+j].TID })
	rp.note("the process now ends with %s (its default action: terminate with a core dump), as natively; reported in %v",
		name, time.Since(rp.start).Round(time.Millisecond))
	r.Notes = rp.notes
	return r
}

// backtrace unwinds a thread and keeps its innermost and outermost frames.
func (rp *reporter) backtrace(regs unwind.Regs, max int) ([]Frame, int) {
	u := &unwind.Unwinder{Mem: rp.mem, Max: max, IsCode: rp.isCode, Tables: rp.tableFor, Stop: rp.stopAt}
	fs := u.Unwind(regs)
	omitted := 0
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	if len(fs) > keepInner+keepOuter+16 {
		omitted = len(fs) - keepInner - keepOuter
		fs = append(fs[:keepInner:keepInner], fs[len(fs)-keepOuter:]...)
		idx = append(idx[:keepInner:keepInner], idx[len(idx)-keepOuter:]...)
	}
	out := make([]Frame, len(fs))
	for i, f := range fs {
		fr := Frame{Index: idx[i], PC: Hex(f.PC), How: f.How.String(), Exact: f.Exact, Signal: f.Trampoline, Module: -1}
		if mi := rp.moduleIndex(f.PC); mi >= 0 {
			fr.Module = mi
			fr.Offset = Hex(f.PC - uint64(rp.mods[mi].m.Start))
		}
		out[i] = fr
	}
	return out, omitted
}

// stopAt ends a walk at the Go runtime's stack switches (the frames beyond belong to another
// stack, or are Go's scheduler).
func (rp *reporter) stopAt(pc uint64) bool {
	h := rp.host
	if h == nil || pc < uint64(h.m.Start) || pc >= uint64(h.m.End) {
		return false
	}
	h.sym.goTable(h.goText)
	name, _, ok := h.sym.goFunc(pc - uint64(h.m.Bias))
	if !ok {
		return false
	}
	switch name {
	case "runtime.asmcgocall", "runtime.asmcgocall_no_g", "runtime.systemstack", "runtime.mcall",
		"runtime.morestack", "runtime.goexit", "runtime.mstart", "runtime.rt0_go", "runtime.cgocallback",
		"runtime.sigtramp", "runtime.cgoSigtramp", "runtime.mstart0", "runtime.mstart1":
		return true
	}
	return false
}

// allRuntime reports whether every frame is jitrun's Go code.
func (rp *reporter) allRuntime(fs []Frame) bool {
	if rp.host == nil || len(fs) == 0 {
		return false
	}
	hi := -1
	for i, m := range rp.mods {
		if m == rp.host {
			hi = i
		}
	}
	h := rp.host
	h.sym.goTable(h.goText)
	for _, f := range fs {
		if f.Module != hi {
			return false
		}
		if _, _, ok := h.sym.goFunc(uint64(f.PC) - uint64(h.m.Bias)); !ok {
			return false
		}
	}
	return true
}

// syscallRegs reads /proc/PID/task/TID/syscall: for a thread blocked in a system call, its
// stack pointer and program counter.
func (rp *reporter) syscallRegs(tid int) (unwind.Regs, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/syscall", rp.pid, tid))
	if err != nil {
		return unwind.Regs{}, false
	}
	f := strings.Fields(string(b))
	if len(f) != 9 { // nr, 6 arguments, sp, pc ("running" or "-1 sp pc" otherwise)
		return unwind.Regs{}, false
	}
	sp, err1 := strconv.ParseUint(f[7], 0, 64)
	pc, err2 := strconv.ParseUint(f[8], 0, 64)
	if err1 != nil || err2 != nil || pc == 0 {
		return unwind.Regs{}, false
	}
	var r unwind.Regs
	r.Set(unwind.RSP, sp)
	r.Set(unwind.RIP, pc)
	return r, true
}

func regsFromPtrace(p *syscall.PtraceRegs) unwind.Regs {
	var r unwind.Regs
	r.Set(unwind.RAX, p.Rax)
	r.Set(unwind.RDX, p.Rdx)
	r.Set(unwind.RCX, p.Rcx)
	r.Set(unwind.RBX, p.Rbx)
	r.Set(unwind.RSI, p.Rsi)
	r.Set(unwind.RDI, p.Rdi)
	r.Set(unwind.RBP, p.Rbp)
	r.Set(unwind.RSP, p.Rsp)
	r.Set(unwind.R8, p.R8)
	r.Set(unwind.R9, p.R9)
	r.Set(unwind.R10, p.R10)
	r.Set(unwind.R11, p.R11)
	r.Set(unwind.R12, p.R12)
	r.Set(unwind.R13, p.R13)
	r.Set(unwind.R14, p.R14)
	r.Set(unwind.R15, p.R15)
	r.Set(unwind.RIP, p.Rip)
	return r
}

// ---- Threads ------------------------------------------------------------------------------

func (rp *reporter) listThreads() []threadInfo {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", rp.pid))
	if err != nil {
		rp.note("cannot list the threads: %v", err)
		return []threadInfo{{tid: rp.tid}}
	}
	var out []threadInfo
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		t := threadInfo{tid: tid}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/comm", rp.pid, tid)); err == nil {
			t.name = strings.TrimSpace(string(b))
		}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/stat", rp.pid, tid)); err == nil {
			if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
				t.state = threadState(b[i+2])
			}
		}
		out = append(out, t)
	}
	return out
}

func threadState(c byte) string {
	switch c {
	case 'R':
		return "running"
	case 'S':
		return "sleeping"
	case 'D':
		return "in uninterruptible wait"
	case 'T', 't':
		return "stopped"
	case 'Z':
		return "zombie"
	}
	return string(c)
}

const (
	ptraceSeize     = 0x4206
	ptraceInterrupt = 0x4207
	wAll            = 0x40000000
)

func ptrace(req int, tid int, addr, data uintptr) error {
	_, _, e := syscall.Syscall6(syscall.SYS_PTRACE, uintptr(req), uintptr(tid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// stopThreads stops every thread but the crashed one (which waits for the reporter) with
// PTRACE_SEIZE and PTRACE_INTERRUPT.
func (rp *reporter) stopThreads(threads []threadInfo) {
	rp.stopped = map[int]int{}
	deadline := time.Now().Add(time.Second)
	for i := range threads {
		t := &threads[i]
		if t.tid == rp.tid {
			continue
		}
		var err error
		for {
			err = ptrace(ptraceSeize, t.tid, 0, 0)
			// EPERM until the process has allowed us (PR_SET_PTRACER, right after the fork).
			if err != syscall.EPERM || time.Now().After(deadline) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err != nil {
			t.err = fmt.Sprintf("ptrace: %v", err)
			continue
		}
		if err := ptrace(ptraceInterrupt, t.tid, 0, 0); err != nil {
			t.err = fmt.Sprintf("ptrace interrupt: %v", err)
			continue
		}
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(t.tid, &ws, wAll, nil); err != nil {
			t.err = fmt.Sprintf("wait: %v", err)
			continue
		}
		if !ws.Stopped() {
			t.err = "exited"
			continue
		}
		sig := 0
		if int(ws)>>16 == 0 && ws.StopSignal() != syscall.SIGTRAP && ws.StopSignal() != syscall.SIGSTOP {
			sig = int(ws.StopSignal()) // a signal on its way: delivered when detaching
		}
		rp.stopped[t.tid] = sig
	}
}

func (rp *reporter) detach() {
	for tid, sig := range rp.stopped {
		ptrace(syscall.PTRACE_DETACH, tid, 0, uintptr(sig))
	}
	rp.stopped = map[int]int{}
}

// ---- Memory -------------------------------------------------------------------------------

// procMem reads another process's memory (process_vm_readv, else /proc/PID/mem), a page at
// a time, cached: unwinding reads the same stack words and instructions many times.
type procMem struct {
	pid   int
	pages map[uint64][]byte
	file  *os.File
}

func newProcMem(pid int) *procMem {
	m := &procMem{pid: pid, pages: map[uint64][]byte{}}
	if f, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid)); err == nil {
		m.file = f
	}
	return m
}

func (m *procMem) close() {
	if m.file != nil {
		m.file.Close()
	}
}

const pageSize = 4096

// ReadAt implements unwind.Memory.
func (m *procMem) ReadAt(b []byte, addr uint64) error {
	for len(b) > 0 {
		page := addr &^ (pageSize - 1)
		data, ok := m.pages[page]
		if !ok {
			data = make([]byte, pageSize)
			if n, _ := m.readRaw(data, page); n < pageSize {
				data = nil
			}
			if len(m.pages) < 1<<17 {
				m.pages[page] = data
			}
		}
		if data == nil {
			return fmt.Errorf("cannot read memory at %#x", addr)
		}
		n := copy(b, data[addr-page:])
		b = b[n:]
		addr += uint64(n)
	}
	return nil
}

// readRaw reads without the cache (large reads: images).
func (m *procMem) readRaw(b []byte, addr uint64) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	local := syscall.Iovec{Base: &b[0], Len: uint64(len(b))}
	remote := [2]uint64{addr, uint64(len(b))}
	n, _, e := syscall.Syscall6(310 /* process_vm_readv */, uintptr(m.pid), uintptr(unsafe.Pointer(&local)), 1,
		uintptr(unsafe.Pointer(&remote)), 1, 0)
	if e == 0 && int(n) == len(b) {
		return int(n), nil
	}
	if m.file != nil {
		k, err := m.file.ReadAt(b, int64(addr))
		return k, err
	}
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// ---- Maps and modules -----------------------------------------------------------------------

type mapping struct {
	start, end, off uint64
	perm            string
	inode           uint64
	path            string
}

func (rp *reporter) readMaps() {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", rp.pid))
	if err != nil {
		rp.note("cannot read the memory map: %v", err)
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 5 {
			continue
		}
		lo, hi, ok := strings.Cut(fs[0], "-")
		if !ok {
			continue
		}
		var m mapping
		m.start, _ = strconv.ParseUint(lo, 16, 64)
		m.end, _ = strconv.ParseUint(hi, 16, 64)
		m.perm = fs[1]
		m.off, _ = strconv.ParseUint(fs[2], 16, 64)
		m.inode, _ = strconv.ParseUint(fs[4], 10, 64)
		if len(fs) > 5 {
			// The path is the rest of the line (it may contain spaces).
			line := sc.Text()
			if i := strings.Index(line, fs[5]); i >= 0 {
				m.path = line[i:]
			}
		}
		rp.maps = append(rp.maps, m)
	}
	for i, m := range rp.maps {
		if strings.Contains(m.perm, "x") {
			rp.codeMaps = append(rp.codeMaps, i)
		}
	}
}

func (rp *reporter) mappingAt(a uint64) int {
	i := sort.Search(len(rp.maps), func(i int) bool { return rp.maps[i].end > a })
	if i < len(rp.maps) && a >= rp.maps[i].start {
		return i
	}
	return -1
}

func (rp *reporter) isCode(pc uint64) bool {
	i := sort.Search(len(rp.codeMaps), func(i int) bool { return rp.maps[rp.codeMaps[i]].end > pc })
	return i < len(rp.codeMaps) && pc >= rp.maps[rp.codeMaps[i]].start
}

func (rp *reporter) moduleIndex(pc uint64) int {
	i := sort.Search(len(rp.mods), func(i int) bool { return uint64(rp.mods[i].m.Start) > pc }) - 1
	for k := i; k >= 0 && k > i-8; k-- {
		m := rp.mods[k].m
		if pc >= uint64(m.Start) && pc < uint64(m.End) {
			return k
		}
	}
	return -1
}

func (rp *reporter) tableFor(pc uint64) *unwind.Table {
	if i := rp.moduleIndex(pc); i >= 0 {
		return rp.mods[i].cfiTable()
	}
	return nil
}

// loadModules finds the loaded objects: file-backed ELF mappings, the vDSO, the JIT'd link
// batches registered with the GDB JIT interface, and anonymous code nothing else covers.
func (rp *reporter) loadModules() {
	type group struct {
		path  string
		inode uint64
		maps  []mapping
	}
	// One loaded object is a run of mappings of one file (anonymous ones, its .bss, may
	// come between); the same file mapped elsewhere (jitrun maps its inputs to read them) is
	// another run, and only runs with code are modules.
	var groups []*group
	var cur *group
	for _, m := range rp.maps {
		if m.path == "" {
			continue
		}
		if !(strings.HasPrefix(m.path, "/") || m.path == "[vdso]") {
			cur = nil
			continue
		}
		// A mapping from offset 0 (or going back) starts another mapping of the file.
		if cur == nil || cur.path != m.path || cur.inode != m.inode || m.off == 0 ||
			m.off < cur.maps[len(cur.maps)-1].off {
			cur = &group{path: m.path, inode: m.inode}
			groups = append(groups, cur)
		}
		cur.maps = append(cur.maps, m)
	}
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", rp.pid))
	for _, g := range groups {
		hasCode := false
		for _, m := range g.maps {
			if strings.Contains(m.perm, "x") {
				hasCode = true
			}
		}
		mod := &Module{Path: g.path, Name: shortPath(g.path), Kind: "lib", Start: Hex(g.maps[0].start), End: Hex(g.maps[len(g.maps)-1].end)}
		for _, m := range g.maps {
			mod.Maps = append(mod.Maps, Mapping{Start: Hex(m.start), End: Hex(m.end), Perm: m.perm[:3], Offset: Hex(m.off)})
		}
		ms := &modSyms{m: mod}
		var err error
		switch {
		case g.path == "[vdso]":
			mod.Kind, mod.Path = "vdso", ""
			img := make([]byte, g.maps[0].end-g.maps[0].start)
			if _, err = rp.mem.readRaw(img, g.maps[0].start); err == nil {
				ms.sym, err = newSymFileFromBytes("[vdso]", img)
			}
			if ms.sym != nil {
				mod.Bias = Hex(g.maps[0].start - firstLoadVaddr(ms.sym))
			}
		case strings.HasPrefix(g.path, "/memfd:") || strings.HasSuffix(g.path, " (deleted)"):
			mod.Kind = "other"
			if !hasCode {
				break
			}
			// A deleted file: its mapping is still readable through map_files (privileged).
			mf := fmt.Sprintf("/proc/%d/map_files/%x-%x", rp.pid, g.maps[0].start, g.maps[0].end)
			ms.sym, err = openSymFile(mf)
		default:
			path := g.path
			if g.path == exe {
				mod.Kind = "exe"
				path = fmt.Sprintf("/proc/%d/exe", rp.pid)
				ms.host = true
			}
			ms.sym, err = openSymFile(path)
		}
		if !hasCode {
			continue // data, or a file read through a mapping
		}
		if err != nil {
			ms.sym = nil
		}
		if ms.sym != nil && mod.Kind != "vdso" {
			bias, _ := loadBias(ms.sym, g.maps)
			mod.Bias = Hex(bias)
		}
		if ms.sym != nil {
			mod.BuildID = ms.sym.buildID()
			if mod.BuildID != "" && mod.Kind != "exe" {
				if p := debugFileByBuildID([]string{"/usr/lib/debug"}, mod.BuildID); p != "" {
					if d, err := openSymFile(p); err == nil {
						ms.dbg = d
						mod.DebugFile = p
					}
				}
			}
		}
		if ms.host {
			rp.host = ms
			ms.goText = rp.hostGoText(ms)
		}
		rp.mods = append(rp.mods, ms)
	}
	rp.loadJIT()
	// Anonymous code no module covers (JIT'd code registered with no debugger, other JITs).
	for _, m := range rp.maps {
		if !strings.Contains(m.perm, "x") || m.path != "" && m.path != "[anon:jitrun]" {
			continue
		}
		if rp.moduleIndexSlow(m.start) >= 0 {
			continue
		}
		mod := &Module{Name: fmt.Sprintf("[anon@%#x]", m.start), Kind: "anon", Start: Hex(m.start), End: Hex(m.end),
			Maps: []Mapping{{Start: Hex(m.start), End: Hex(m.end), Perm: m.perm[:3]}}}
		rp.mods = append(rp.mods, &modSyms{m: mod})
	}
	sort.SliceStable(rp.mods, func(i, j int) bool { return rp.mods[i].m.Start < rp.mods[j].m.Start })
	for i, ms := range rp.mods {
		ms.m.ID = i
	}
}

func (rp *reporter) moduleIndexSlow(a uint64) int {
	for i, ms := range rp.mods {
		if ms.m.Kind == "jit" && a < uint64(ms.m.End) && uint64(ms.m.Start) < a+1 {
			return i
		}
		if ms.m.Kind == "jit" {
			continue
		}
		for _, mp := range ms.m.Maps {
			if a >= uint64(mp.Start) && a < uint64(mp.End) {
				return i
			}
		}
	}
	return -1
}

// loadBias computes a file's load bias from one of its mappings and its program headers.
func loadBias(f *symFile, maps []mapping) (uint64, bool) {
	for _, m := range maps {
		for _, p := range f.f.Progs {
			if p.Type == 1 /* PT_LOAD */ && p.Off&^(pageSize-1) == m.off {
				return m.start - p.Vaddr&^(pageSize-1), true
			}
		}
	}
	return 0, false
}

func firstLoadVaddr(f *symFile) uint64 {
	for _, p := range f.f.Progs {
		if p.Type == 1 {
			return p.Vaddr &^ (pageSize - 1)
		}
	}
	return 0
}

// hostGoText is runtime.text of jitrun: from its symbol table, else (stripped) from this
// process when it runs the same executable.
func (rp *reporter) hostGoText(ms *modSyms) uint64 {
	for _, s := range ms.sym.symbols() {
		if s.name == "runtime.text" {
			return s.addr
		}
	}
	a, errA := os.Stat(fmt.Sprintf("/proc/%d/exe", rp.pid))
	b, errB := os.Stat("/proc/self/exe")
	if errA == nil && errB == nil && os.SameFile(a, b) {
		lo, _ := linux.GoText()
		return lo
	}
	return 0
}

// loadJIT reads the GDB JIT interface's list (__jit_debug_descriptor in jitrun): one
// in-memory ELF object per JIT'd link batch, with its sections at their addresses, its
// symbols, .eh_frame and build id; the debug file named by the build id has its DWARF.
func (rp *reporter) loadJIT() {
	if rp.host == nil {
		return
	}
	var desc uint64
	if ds, err := rp.host.sym.f.DynamicSymbols(); err == nil {
		for _, s := range ds {
			if s.Name == "__jit_debug_descriptor" {
				desc = s.Value + uint64(rp.host.m.Bias)
			}
		}
	}
	if desc == 0 {
		rp.note("no GDB JIT descriptor in the executable: JIT'd code is not named")
		return
	}
	var d [24]byte
	if err := rp.mem.ReadAt(d[:], desc); err != nil {
		rp.note("cannot read the GDB JIT descriptor: %v", err)
		return
	}
	entry := binary.LittleEndian.Uint64(d[16:])
	seen := map[uint64]bool{}
	n := 0
	var total uint64
	for entry != 0 && !seen[entry] && n < 100000 {
		seen[entry] = true
		var e [32]byte
		if err := rp.mem.ReadAt(e[:], entry); err != nil {
			rp.note("GDB JIT list: cannot read entry %#x: %v", entry, err)
			break
		}
		next := binary.LittleEndian.Uint64(e[0:])
		addr := binary.LittleEndian.Uint64(e[16:])
		size := binary.LittleEndian.Uint64(e[24:])
		entry = next
		if size == 0 || size > 1<<30 || total+size > 4<<30 {
			continue
		}
		total += size
		img := make([]byte, size)
		if k, err := rp.mem.readRaw(img, addr); err != nil || k != len(img) {
			rp.note("GDB JIT list: cannot read the object at %#x", addr)
			continue
		}
		sf, err := newSymFileFromBytes("[jit]", img)
		if err != nil {
			rp.note("GDB JIT list: object at %#x: %v", addr, err)
			continue
		}
		n++
		rp.mods = append(rp.mods, rp.jitModule(sf, n))
	}
}

func (rp *reporter) jitModule(sf *symFile, n int) *modSyms {
	maps := mappingsOfImage(sf.f)
	mod := &Module{Kind: "jit", Name: fmt.Sprintf("jit#%d", n), BuildID: sf.buildID(), Maps: maps}
	if len(maps) > 0 {
		mod.Start, mod.End = maps[0].Start, maps[len(maps)-1].End
	}
	ms := &modSyms{m: mod, sym: sf}
	if mod.BuildID != "" {
		if p := debugFileByBuildID([]string{rp.debugDir}, mod.BuildID); p != "" {
			if d, err := openSymFile(p); err == nil {
				ms.dbg = d
				mod.DebugFile = p
				if cu := d.firstCUName(); cu != "" {
					mod.Name = "jit:" + cu
				}
			}
		}
		if mod.DebugFile == "" && rp.debugDir != "" {
			rp.note("%s: no debug file for build id %s in %s (no file:line for it)", mod.Name, mod.BuildID, rp.debugDir)
		}
	}
	return ms
}

// ---- The fault address and the code ---------------------------------------------------------

// describeAddr says what is mapped at a fault address, and whether the fault is a stack
// overflow (an unmapped or guard address just below the stack pointer).
func (rp *reporter) describeAddr(a, sp uint64) (string, bool) {
	overflow := false
	nearSP := sp > 1<<20 && a+1<<20 >= sp && a <= sp+256
	i := rp.mappingAt(a)
	var b strings.Builder
	if a < 0x10000 && i < 0 {
		return fmt.Sprintf("NULL pointer dereference (NULL + %#x): not mapped", a), false
	} else if a >= 0x800000000000 {
		b.WriteString("a non-canonical or kernel address; ")
	}
	if i >= 0 {
		m := rp.maps[i]
		fmt.Fprintf(&b, "mapped %s at %#x-%#x", m.perm, m.start, m.end)
		if m.path != "" {
			fmt.Fprintf(&b, " %s", m.path)
			if strings.HasPrefix(m.path, "/") {
				fmt.Fprintf(&b, " (file offset %#x)", m.off+a-m.start)
			}
		}
		if mi := rp.moduleIndex(a); mi >= 0 {
			ms := rp.mods[mi]
			if n, off, ok := ms.objectAt(a); ok {
				fmt.Fprintf(&b, ", in %s+%#x", n, off)
			} else {
				fmt.Fprintf(&b, ", %s+%#x", ms.m.Name, a-uint64(ms.m.Start))
			}
		}
		if m.perm[:3] == "---" {
			b.WriteString(" (no access: a guard page or reserved address space)")
			overflow = nearSP
		}
	} else {
		b.WriteString("not mapped")
		var below, above *mapping
		for k := range rp.maps {
			m := &rp.maps[k]
			if m.end <= a {
				below = m
			} else if m.start > a && above == nil {
				above = m
			}
		}
		desc := func(m *mapping) string {
			s := fmt.Sprintf("%#x-%#x %s", m.start, m.end, m.perm)
			if m.path != "" {
				s += " " + m.path
			}
			return s
		}
		if below != nil || above != nil {
			b.WriteString(" (")
			if below != nil {
				fmt.Fprintf(&b, "%#x bytes above %s", a-below.end, desc(below))
			}
			if above != nil {
				if below != nil {
					b.WriteString("; ")
				}
				fmt.Fprintf(&b, "%#x bytes below %s", above.start-a, desc(above))
			}
			b.WriteString(")")
		}
		overflow = nearSP
	}
	if overflow {
		fmt.Fprintf(&b, "; the stack pointer is %#x", sp)
	}
	return b.String(), overflow
}

// codeBytes reads the instructions around pc: 32 bytes before, 16 after (what is readable).
func (rp *reporter) codeBytes(pc uint64) *Code {
	if pc == 0 {
		return nil
	}
	lo, hi := pc-32, pc+16
	for lo < pc {
		var one [1]byte
		if rp.mem.ReadAt(one[:], lo) == nil {
			break
		}
		lo = (lo | (pageSize - 1)) + 1
	}
	for hi > pc {
		var one [1]byte
		if rp.mem.ReadAt(one[:], hi-1) == nil {
			break
		}
		hi = (hi - 1) &^ (pageSize - 1)
	}
	if hi <= lo {
		return nil
	}
	b := make([]byte, hi-lo)
	if rp.mem.ReadAt(b, lo) != nil {
		return nil
	}
	return &Code{Addr: Hex(lo), Bytes: hex.EncodeToString(b), PC: Hex(pc)}
}
