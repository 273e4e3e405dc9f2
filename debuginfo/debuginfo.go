// Package debuginfo makes JIT'd code visible to debuggers and profilers, once per link batch
// (a load, a dylib), cheaply enough to be on by default:
//
//   - In memory, registered through the GDB JIT interface (gdb and lldb read it, at launch
//     and when they attach): one small ET_REL object holding the batch's memory as section
//     headers at their load addresses (NOBITS, except .eh_frame, whose relocated bytes let
//     debuggers unwind through JIT'd frames), a symbol table and a build id. No DWARF: the
//     cost of a registration in a debugger grows with the number of registrations, and with
//     what each one holds.
//   - On disk, at DIR/.build-id/xx/rest.debug: a pre-linked ET_EXEC debug file with the same
//     build id, every relocation applied (DWARF, .eh_frame), sections at their load
//     addresses and an absolute-valued symbol table. A debugger told about DIR (gdb
//     debug-file-directory, lldb target.debug-file-search-paths) finds it by build id and
//     gets file:line, arguments, locals, inlined frames and pending breakpoints. It is written
//     in the background (to a temporary file, renamed into place), or before registering when
//     a debugger is already attached, and reused while the build id is the same.
//   - Optionally a perf map (/tmp/perf-PID.map) and a jitdump for perf inject --jit.
package debuginfo

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/platform/linux"
)

// Options say what Register produces.
type Options struct {
	// Debug registers the in-memory object with debuggers and writes the debug file.
	Debug bool
	// Dir is the debug directory ("" means DefaultDir()).
	Dir string
	// NoDisk skips the on-disk debug file (names and unwinding only).
	NoDisk bool
	// Sync writes the debug file before registering. It is implied when a debugger is
	// attached to the process or JITRUN_DEBUG_SYNC=1 is set (jitrun gdb/lldb set it), so a
	// debugger never looks for the file before it exists.
	Sync bool
	// PerfMap appends the batch's symbols to /tmp/perf-PID.map.
	PerfMap bool
	// JITDump writes the batch's functions to a jitdump (see JITDumpPath).
	JITDump bool
}

// SyncEnv is the environment variable that makes every registration wait for its debug file.
const SyncEnv = "JITRUN_DEBUG_SYNC"

// Registration is one link batch's debug information.
type Registration struct {
	// BuildID identifies the batch's code and debug information; Path is its on-disk
	// debug file ("" without one). Both are set once Wait has returned.
	BuildID []byte
	Path    string

	link    *jitlink.Link
	mu      sync.Mutex
	entry   *linux.JITEntry
	memObj  linux.JITObject
	done    chan struct{}
	diskErr error
	gone    bool
}

var (
	regMu    sync.Mutex
	registry = map[*jitlink.Link]*Registration{}
)

// Lookup returns the registration of a link batch, or nil.
func Lookup(l *jitlink.Link) *Registration {
	regMu.Lock()
	defer regMu.Unlock()
	return registry[l]
}

// DefaultDir is $XDG_CACHE_HOME/jitrun/debug, else ~/.cache/jitrun/debug.
func DefaultDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "jitrun", "debug")
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return filepath.Join(h, ".cache", "jitrun", "debug")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("jitrun-debug-%d", os.Getuid()))
}

// Symbols lists the batch's function and object definitions at their final addresses, and
// its stubs as name@plt, in graph order.
func Symbols(l *jitlink.Link) []Sym {
	syms, _ := symbolsAndID(l, false, false)
	return syms
}

// graphSymbol reports whether s goes into the symbol tables, and its size there.
func graphSymbol(s *jitlink.Symbol) (uint64, bool) {
	if s == nil || s.Def != jitlink.Defined || s.Name == "" || s.Section == nil || s.Section.Discard {
		return 0, false
	}
	if s.Type != jitlink.Func && s.Type != jitlink.Object && s.Type != jitlink.IFunc {
		return 0, false
	}
	k := s.Section.Kind
	if k.Perm() == jitlink.PermNone || k == jitlink.KindTLSData || k == jitlink.KindTLSZeroFill {
		return 0, false
	}
	size := s.Size
	if s.Value >= s.Section.Size {
		size = 0
	} else if size > s.Section.Size-s.Value {
		size = s.Section.Size - s.Value // never past the section: its bytes are read
	}
	return size, true
}

// graphSymbols lists one graph's definitions into out, which has room for all of them.
func graphSymbols(g *jitlink.Graph, out []Sym) []Sym {
	var tmp jitlink.Symbol
	for i := range g.Symbols {
		s := g.SymbolAt(i, &tmp)
		size, ok := graphSymbol(s)
		if !ok {
			continue
		}
		out = append(out, Sym{Name: s.Name, Addr: s.Section.Addr + s.Value, Size: size,
			Func: s.Type != jitlink.Object, Local: s.Binding == jitlink.Local, Weak: s.Binding == jitlink.Weak})
	}
	return out
}

// linkSymbols lists the stubs (name@plt) and the _init/_fini fragments.
func linkSymbols(l *jitlink.Link, out []Sym) []Sym {
	ss := l.Arch.StubSize()
	for k, t := range l.Stubs {
		out = append(out, Sym{Name: t.Name + "@plt", Addr: l.StubBase + uint64(k)*ss, Size: ss, Func: true, Local: true})
	}
	if l.InitCode != 0 {
		out = append(out, Sym{Name: "_init", Addr: l.InitCode, Func: true, Local: true})
	}
	if l.FiniCode != 0 {
		out = append(out, Sym{Name: "_fini", Addr: l.FiniCode, Func: true, Local: true})
	}
	return out
}

// symbolsAndID collects the symbols and, if withID, the build id, in one parallel pass over
// the graphs. The build id names the debug file's contents, so that a program linked the
// same way again finds its file and does not write another: the layout (segments, and where
// each section went), the symbols, .eh_frame, and the inputs' debug sections with their
// relocations. Not the code and data bytes the file does not hold: non-PIC data holds
// shared libraries' addresses, which ASLR changes every run (a CPython run wrote a new
// 1.4 MB file each time).
//
// The symbols are written in place into one slice (a CPython link has 30,000, clang's a
// million: growing per-graph slices and joining them tripled the memory, every page of it a
// fault on fresh heap), each graph's part as long as its symbol table, then closed up: a part's
// unused room is fresh memory never touched, and counting first decoded every local symbol
// twice (half of the 8 ms a CPython link's registration took).
//
// serial runs it all on the calling goroutine: in the background, on a thread that only
// gets the cores the program leaves idle (Register), workers on other threads would take
// a core from the program's start (4 ms of CPython's 12 ms of start-up and exit).
func symbolsAndID(l *jitlink.Link, withID, serial bool) ([]Sym, []byte) {
	each := jitlink.Parallel
	if serial {
		each = func(n int, f func(int)) {
			for i := range n {
				f(i)
			}
		}
	}
	n := len(l.Graphs)
	start := make([]int, n+2)
	for i, g := range l.Graphs {
		start[i+1] = len(g.Symbols) // room for all: most are never written (below)
	}
	start[n+1] = len(l.Stubs) + 2
	for i := 1; i <= n+1; i++ {
		start[i] += start[i-1]
	}
	syms := make([]Sym, start[n+1])
	ends := make([]int, n+1)
	sums := make([][20]byte, n+1)
	each(n+1, func(i int) {
		var b [8]byte
		var mine []Sym
		buf := hashBufs.Get().(*[4096]byte)
		defer hashBufs.Put(buf)
		if i == n {
			mine = linkSymbols(l, syms[start[i]:start[i]:start[i+1]])
		} else {
			mine = graphSymbols(l.Graphs[i], syms[start[i]:start[i]:start[i+1]])
		}
		ends[i] = start[i] + len(mine)
		if !withID {
			return
		}
		h := sha1.New()
		put := func(v uint64) {
			binary.LittleEndian.PutUint64(b[:], v)
			h.Write(b[:])
		}
		if i == n {
			for _, s := range l.Segments {
				put(s.Addr)
				put(s.Size | uint64(s.Perm)<<56)
			}
			if l.EHFrame != 0 {
				put(l.EHFrame)
				hashBulk(h, memAt(l.EHFrame, l.EHFrameSize), buf)
			}
			hashSyms(h, mine, buf)
			h.Sum(sums[i][:0])
			return
		}
		g := l.Graphs[i]
		h.Write(append(buf[:0], g.Name...))
		hashSyms(h, mine, buf)
		// Where each section went: what the relocated DWARF's addresses follow (through
		// buf: clang has 266,000 sections).
		at := buf[:0]
		for _, s := range g.Sections {
			if s != nil && !s.Discard && s.Kind != jitlink.KindNonAlloc {
				if len(at)+16 > cap(at) {
					h.Write(at)
					at = at[:0]
				}
				at = binary.LittleEndian.AppendUint64(at, uint64(s.Index))
				at = binary.LittleEndian.AppendUint64(at, s.Addr)
			}
		}
		h.Write(at)
		for _, s := range g.Sections {
			if s == nil || s.Discard || s.Kind != jitlink.KindNonAlloc {
				continue
			}
			if len(s.Name) < 7 || s.Name[:7] != ".debug_" {
				continue
			}
			h.Write(append(buf[:0], s.Name...))
			put(s.Size)
			hashBulk(h, s.Data, buf)
			hashRelocs(h, s, buf)
		}
		h.Sum(sums[i][:0])
	})
	// Close the gaps: each part moves down to the end of the one before.
	w := 0
	for i := 0; i <= n; i++ {
		w += copy(syms[w:], syms[start[i]:ends[i]])
	}
	syms = syms[:w]
	if !withID {
		return syms, nil
	}
	h := sha1.New()
	h.Write([]byte("jitrun debug v2\x00"))
	for _, p := range sums {
		h.Write(p[:])
	}
	return syms, h.Sum(nil)
}

// castagnoli is made on first use: making it (the SSE4.2 tables) took 0.25 ms of every
// jitrun start, --help included.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// hashBulk feeds h the CRC-32C of each 4 KiB block of data: bulk bytes (code, debug
// sections) at memory speed, small things (names, addresses) through h itself. The sums go
// through buf (the bytes are the same as one write of them all would give).
func hashBulk(h hash.Hash, data []byte, buf *[4096]byte) {
	const block = 4096
	sums := buf[:0]
	for len(data) > 0 {
		if len(sums)+4 > cap(sums) {
			h.Write(sums)
			sums = sums[:0]
		}
		n := min(block, len(data))
		sums = binary.LittleEndian.AppendUint32(sums, crc32.Checksum(data[:n], castagnoli()))
		data = data[n:]
	}
	h.Write(sums)
}

// hashRelocs feeds h a debug section's relocations: the input's records, or the decoded
// edges (offset, addend, target symbol index, kind).
func hashRelocs(h hash.Hash, s *jitlink.Section, buf *[4096]byte) {
	if s.Rela != nil {
		hashBulk(h, s.Rela, buf)
		return
	}
	b := buf[:0]
	for k := range s.Edges {
		e := &s.Edges[k]
		if len(b)+24 > cap(b) {
			h.Write(b)
			b = b[:0]
		}
		b = binary.LittleEndian.AppendUint64(b, e.Offset)
		b = binary.LittleEndian.AppendUint64(b, uint64(e.Addend))
		b = binary.LittleEndian.AppendUint64(b, uint64(e.Target)|uint64(e.Kind)<<32)
	}
	h.Write(b)
}

// hashSyms feeds names, addresses and sizes to h, through buf (the bytes are the same as
// one write of them all would give).
func hashSyms(h hash.Hash, syms []Sym, buf *[4096]byte) {
	b := buf[:0]
	for _, s := range syms {
		if len(b)+len(s.Name)+16 > cap(b) && len(b) > 0 {
			h.Write(b)
			b = b[:0]
		}
		if len(s.Name)+16 > cap(b) {
			h.Write([]byte(s.Name)) // a name longer than the buffer (rare)
		} else {
			b = append(b, s.Name...)
		}
		b = binary.LittleEndian.AppendUint64(b, s.Addr)
		b = binary.LittleEndian.AppendUint64(b, s.Size)
	}
	h.Write(b)
}

// hashBufs are the hashing passes' scratch buffers: a buffer handed to a hash.Hash escapes,
// so one on the stack would be a fresh 4 KiB of heap (a page fault) per graph.
var hashBufs = sync.Pool{New: func() any { return new([4096]byte) }}

func memAt(addr, size uint64) []byte {
	if size == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(linux.Ptr(addr)), size)
}

func buildID(l *jitlink.Link) []byte {
	_, id := symbolsAndID(l, true, false)
	return id
}

// Register makes a link batch visible to debuggers and profilers. It must run after the
// link's fixups, before its code runs. The profiler files are written before it returns
// (their records must precede the code's samples). When a debugger is attached (or Sync or
// JITRUN_DEBUG_SYNC=1 asks for it), the debug file is written and the in-memory object
// registered before it returns, so the debugger sees the code with full debug information
// before it runs; otherwise all of that happens in the background, off the program's
// start-up path, and a debugger that attaches later finds it in the list.
func Register(l *jitlink.Link, opts Options) (*Registration, error) {
	r := &Registration{link: l, done: make(chan struct{})}
	regMu.Lock()
	registry[l] = r
	regMu.Unlock()
	var errs []error
	var syms []Sym
	if opts.PerfMap || opts.JITDump {
		syms = Symbols(l)
	}
	if opts.PerfMap {
		if err := WritePerfMap(syms); err != nil {
			errs = append(errs, err)
		}
	}
	if opts.JITDump {
		if err := WriteJITDump(syms); err != nil {
			errs = append(errs, err)
		}
	}
	if !opts.Debug {
		close(r.done)
		return r, joinErrs(errs)
	}
	dir := opts.Dir
	if dir == "" {
		dir = DefaultDir()
	}
	if !opts.NoDisk {
		cleanupOnce(dir)
	}
	if opts.Sync || os.Getenv(SyncEnv) == "1" || linux.Traced() {
		if err := r.register(opts, dir, true, -1); err != nil {
			errs = append(errs, err)
		}
		return r, joinErrs(errs)
	}
	// The program runs while the background work goes on: it must not see jitrun's
	// descriptors (a program listing /proc/self/fd must find what it would natively) nor
	// have them take the numbers its own open calls would get. So the work runs on a thread
	// of its own with a private copy of the descriptor table (unshare(CLONE_FILES)); the
	// thread ends with the work. It opens nothing unless the debug file for this build id
	// does not exist yet; then one nameless file (O_TMPFILE), linked into place once written.
	linux.DebugWriteBegin() // a crash waits for the debug file (platform/linux/crash.c)
	background.add()
	go func() {
		defer background.done()
		defer linux.DebugWriteEnd()
		runtime.LockOSThread() // never unlocked: the thread exits with this goroutine
		if err := syscall.Unshare(syscall.CLONE_FILES); err != nil {
			opts.NoDisk = true // no private table: register in memory only
		}
		// All of it on this one thread, at idle priority: the program has the cores first.
		idlePriority()
		r.register(opts, dir, false, lazyTmp)
	}()
	return r, joinErrs(errs)
}

// background counts the registrations whose work is still going on in the background, and
// holds what waits for them. (Not a sync.WaitGroup: a dlopen registers while an earlier
// AfterBackground may be waiting or just done waiting, and a WaitGroup must not be added to
// from zero concurrently with a Wait.)
var background bgWork

// bgWork is a count of running background work and the functions waiting for it to be none.
type bgWork struct {
	mu      sync.Mutex
	n       int
	waiters []func()
}

func (b *bgWork) add() {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
}

func (b *bgWork) done() {
	b.mu.Lock()
	b.n--
	var run []func()
	if b.n == 0 {
		run, b.waiters = b.waiters, nil
	}
	b.mu.Unlock()
	for _, fn := range run {
		go fn()
	}
}

// AfterBackground calls fn (on a goroutine of its own) once no registration's background
// work is going on. jitrun turns the garbage collector back on this way: a collection right
// after a link, while the program starts, would take a core from it.
func AfterBackground(fn func()) {
	background.mu.Lock()
	defer background.mu.Unlock()
	if background.n == 0 {
		go fn()
		return
	}
	background.waiters = append(background.waiters, fn)
}

// idlePriority puts the calling thread in the SCHED_IDLE class: the background registration
// (build id, in-memory object, debug file) then runs only on a core the program leaves idle
// and never takes time from it (it gets a core when one frees up, e.g. when a crash reporter
// or a debugger waits for it).
func idlePriority() {
	const schedIdle = 5
	var param [1]int32
	syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, 0, schedIdle, uintptr(unsafe.Pointer(&param[0])))
}

// Descriptors that outlive the link are moved out of the program's way: to highFD, or for
// the short-lived temporary file to the last slot of the initial descriptor table (going
// past it makes the kernel grow the table, which waits for an RCU grace period: ~10 ms).
const (
	highFD   = 1000
	tableTop = 63
	lazyTmp  = -2 // register/writeDebugFile: open the temporary file only if one is needed
)

// openTmp opens an unnamed file in dir (created private) at a high descriptor.
func openTmp(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return -1, err
	}
	fd, err := syscall.Open(dir, syscall.O_RDWR|syscall.O_CLOEXEC|oTmpfile, 0o600)
	if err != nil {
		return -1, err
	}
	return moveHigh(fd, tableTop), nil
}

// moveHigh moves fd to the lowest free descriptor >= floor (keeping it if that fails).
func moveHigh(fd, floor int) int {
	high, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, uintptr(floor))
	if errno != 0 {
		return fd
	}
	syscall.Close(fd)
	return int(high)
}

const oTmpfile = 0o20000000 | syscall.O_DIRECTORY

// register builds and registers the in-memory object and writes the debug file: the file
// first when sync (a debugger is waiting for the registration), else the registration first.
func (r *Registration) register(opts Options, dir string, sync bool, tmp int) error {
	defer close(r.done)
	l := r.link
	syms, id := symbolsAndID(l, true, !sync)
	// A view, not a copy: the batch's memory stays mapped until Unregister, which waits
	// for this work to end.
	var eh []byte
	if l.EHFrame != 0 {
		eh = memAt(l.EHFrame, l.EHFrameSize)
	}
	loaded := loadedSections(l.Segments, l.EHFrame, eh)
	// Written where the GDB JIT list can keep it without a copy (freed by Unregister).
	var obj linux.JITObject
	(&image{typ: etRel, loaded: loaded, buildID: id, syms: syms, alloc: func(n int) []byte {
		obj = linux.AllocJITObject(n)
		return obj.Data
	}}).write()
	path := ""
	if !opts.NoDisk {
		path = DebugFilePath(dir, id)
	}
	r.mu.Lock()
	r.BuildID, r.Path, r.memObj = id, path, obj
	gone := r.gone
	r.mu.Unlock()
	if gone {
		return nil
	}
	fresh := path != "" && !fileExists(path)
	if !sync {
		r.reregister()
	}
	if path != "" {
		r.diskErr = writeDebugFile(dir, path, l, loaded, id, syms, tmp)
	}
	if sync {
		r.reregister()
	} else if fresh && r.diskErr == nil && linux.Traced() {
		// A debugger attached while the file was being written may have looked for it
		// already: registering again makes it look again.
		r.reregister()
	}
	return r.diskErr
}

func joinErrs(errs []error) error {
	if len(errs) > 0 {
		return fmt.Errorf("debug info: %v", errs[0])
	}
	return nil
}

// reregister registers the in-memory object, replacing an earlier registration.
func (r *Registration) reregister() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return
	}
	if r.entry != nil {
		r.entry.Unregister()
	}
	r.entry = linux.RegisterJITObject(r.memObj)
}

// Wait waits until the on-disk debug file is in place (or failed to be written).
func (r *Registration) Wait() error {
	<-r.done
	return r.diskErr
}

// Unregister removes the batch's object from the GDB JIT list (debuggers drop its symbols)
// and deletes its debug file. It waits for a debug file still being written.
func (r *Registration) Unregister() error {
	r.mu.Lock()
	if r.gone {
		r.mu.Unlock()
		return nil
	}
	r.gone = true
	r.entry.Unregister()
	r.entry = nil
	r.mu.Unlock()
	regMu.Lock()
	delete(registry, r.link)
	regMu.Unlock()
	<-r.done
	r.mu.Lock()
	r.entry.Unregister() // registered by the background work meanwhile
	r.entry = nil
	linux.FreeJITObject(r.memObj) // no entry refers to it any more
	r.memObj = linux.JITObject{}
	r.mu.Unlock()
	if r.Path != "" {
		if err := os.Remove(r.Path); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// MemoryImage returns the in-memory object registered with the debugger.
func (r *Registration) MemoryImage() []byte { return r.memObj.Data }

// DebugFilePath is where a build id's debug file lives under dir.
func DebugFilePath(dir string, id []byte) string {
	h := hex.EncodeToString(id)
	return filepath.Join(dir, ".build-id", h[:2], h[2:]+".debug")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// EnsureDir creates the debug directory private to the user.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return nil
}

// writeDebugFile writes the pre-linked debug file, unless one with this build id exists (then
// it is only touched, so the clean-up sees it in use). The file appears complete or not at
// all: it is written to a temporary file (tmp, an O_TMPFILE descriptor, if >= 0) that is
// then linked or renamed into place.
func writeDebugFile(dir, path string, l *jitlink.Link, loaded []*secHdr, id []byte, syms []Sym, tmp int) error {
	now := time.Now()
	if err := os.Chtimes(path, now, now); err == nil {
		return nil
	}
	img, err := DebugImage(l, loaded, id, syms)
	if err != nil {
		return err
	}
	if err := EnsureDir(dir); err != nil {
		return err
	}
	sub := filepath.Dir(path)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	if tmp == lazyTmp {
		// In the background while the program runs: an O_TMPFILE or nothing (an os.File
		// would start the Go runtime's poller, whose descriptors the program would see).
		t, err := openTmp(sub)
		if err != nil {
			return err
		}
		defer syscall.Close(t)
		tmp = t
	}
	if tmp >= 0 {
		// In pieces: a process exiting while this thread is in a write waits for the write
		// to finish (a regular file's write is not interrupted by the exit).
		const piece = 1 << 20
		for off := 0; off < len(img); {
			n, err := syscall.Pwrite(tmp, img[off:min(off+piece, len(img))], int64(off))
			if err != nil {
				return err
			}
			off += n
		}
		if err := linkat(fmt.Sprintf("/proc/thread-self/fd/%d", tmp), path); err != nil && err != syscall.EEXIST {
			return err // (EEXIST: another process wrote the same file)
		}
		return nil
	}
	f, err := os.CreateTemp(sub, ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(img); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// linkat gives the file open at /proc/self/fd/N a name.
func linkat(from, to string) error {
	const atFDCWD, atSymlinkFollow = -100, 0x400
	f, err := syscall.BytePtrFromString(from)
	if err != nil {
		return err
	}
	t, err := syscall.BytePtrFromString(to)
	if err != nil {
		return err
	}
	cwd := atFDCWD
	_, _, errno := syscall.Syscall6(syscall.SYS_LINKAT, uintptr(cwd), uintptr(unsafe.Pointer(f)),
		uintptr(cwd), uintptr(unsafe.Pointer(t)), atSymlinkFollow, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// DebugImage builds the on-disk debug file of a batch.
func DebugImage(l *jitlink.Link, loaded []*secHdr, id []byte, syms []Sym) ([]byte, error) {
	dbg, err := l.DebugSections()
	if err != nil {
		return nil, err
	}
	var other []*secHdr
	for _, d := range dbg {
		other = append(other, &secHdr{name: d.Name, typ: shtProgbits, data: d.Data, align: 1})
	}
	return (&image{typ: etExec, loaded: loaded, other: other, buildID: id, syms: syms}).write(), nil
}
