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
	"os"
	"path/filepath"
	"sort"
	"sync"
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
	BuildID []byte
	// Path is the on-disk debug file ("" without one).
	Path string

	link    *jitlink.Link
	mu      sync.Mutex
	entry   *linux.JITEntry
	memImg  []byte
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
// its stubs as name@plt.
func Symbols(l *jitlink.Link) []Sym {
	var out []Sym
	for _, g := range l.Graphs {
		for _, s := range g.Symbols {
			if s == nil || s.Def != jitlink.Defined || s.Name == "" || s.Section == nil || s.Section.Discard {
				continue
			}
			if s.Type != jitlink.Func && s.Type != jitlink.Object && s.Type != jitlink.IFunc {
				continue
			}
			k := s.Section.Kind
			if k.Perm() == jitlink.PermNone || k == jitlink.KindTLSData || k == jitlink.KindTLSZeroFill {
				continue
			}
			size := s.Size
			if s.Value >= s.Section.Size {
				size = 0
			} else if size > s.Section.Size-s.Value {
				size = s.Section.Size - s.Value // never past the section: its bytes are read
			}
			out = append(out, Sym{Name: s.Name, Addr: s.Section.Addr + s.Value, Size: size,
				Func: s.Type != jitlink.Object, Local: s.Binding == jitlink.Local, Weak: s.Binding == jitlink.Weak})
		}
	}
	ss := l.Arch.StubSize()
	for i, t := range l.Stubs {
		out = append(out, Sym{Name: t.Name + "@plt", Addr: l.StubBase + uint64(i)*ss, Size: ss, Func: true, Local: true})
	}
	if l.InitCode != 0 {
		out = append(out, Sym{Name: "_init", Addr: l.InitCode, Func: true, Local: true})
	}
	if l.FiniCode != 0 {
		out = append(out, Sym{Name: "_fini", Addr: l.FiniCode, Func: true, Local: true})
	}
	return out
}

func memAt(addr, size uint64) []byte {
	if size == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(linux.Ptr(addr)), size)
}

// buildID identifies what the debug file would hold: the layout, the symbols, the code and
// read-only data as loaded, and the inputs' debug sections.
func buildID(l *jitlink.Link, syms []Sym) []byte {
	parts := make([][20]byte, len(l.Graphs)+1)
	jitlink.Parallel(len(l.Graphs)+1, func(i int) {
		h := sha1.New()
		var b [8]byte
		if i == len(l.Graphs) {
			for _, s := range l.Segments {
				binary.LittleEndian.PutUint64(b[:], s.Addr)
				h.Write(b[:])
				binary.LittleEndian.PutUint64(b[:], s.Size|uint64(s.Perm)<<56)
				h.Write(b[:])
				if s.Perm == jitlink.PermRX || s.Perm == jitlink.PermR {
					h.Write(memAt(s.Addr, s.Size))
				}
			}
			for _, s := range syms {
				h.Write([]byte(s.Name))
				binary.LittleEndian.PutUint64(b[:], s.Addr)
				h.Write(b[:])
				binary.LittleEndian.PutUint64(b[:], s.Size)
				h.Write(b[:])
			}
		} else {
			g := l.Graphs[i]
			h.Write([]byte(g.Name))
			for _, s := range g.Sections {
				if s == nil || s.Discard || s.Kind != jitlink.KindNonAlloc || len(s.Name) < 7 || s.Name[:7] != ".debug_" {
					continue
				}
				h.Write([]byte(s.Name))
				binary.LittleEndian.PutUint64(b[:], s.Size)
				h.Write(b[:])
				h.Write(s.Data)
			}
		}
		h.Sum(parts[i][:0])
	})
	h := sha1.New()
	h.Write([]byte("jitrun debug v1\x00"))
	for _, p := range parts {
		h.Write(p[:])
	}
	return h.Sum(nil)
}

// Register builds the batch's in-memory object and registers it with the GDB JIT interface,
// and arranges for the on-disk debug file and the profiler files. It must run after the
// link's fixups, before its code runs.
func Register(l *jitlink.Link, opts Options) (*Registration, error) {
	syms := Symbols(l)
	sort.Slice(syms, func(i, j int) bool { return syms[i].Addr < syms[j].Addr })
	var eh []byte
	if l.EHFrame != 0 {
		eh = append([]byte(nil), memAt(l.EHFrame, l.EHFrameSize)...)
	}
	loaded := loadedSections(l.Segments, l.EHFrame, eh)
	r := &Registration{link: l, done: make(chan struct{})}
	var errs []error
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
	r.BuildID = buildID(l, syms)
	r.memImg = (&image{typ: etRel, loaded: loaded, buildID: r.BuildID, syms: syms}).write()
	if opts.NoDisk {
		close(r.done)
	} else {
		dir := opts.Dir
		if dir == "" {
			dir = DefaultDir()
		}
		r.Path = DebugFilePath(dir, r.BuildID)
		disk := func() {
			defer close(r.done)
			r.diskErr = writeDebugFile(dir, r.Path, l, loaded, r.BuildID, syms)
			cleanupOnce(dir)
		}
		if opts.Sync || os.Getenv(SyncEnv) == "1" || linux.Traced() {
			disk()
			if r.diskErr != nil {
				errs = append(errs, r.diskErr)
			}
		} else {
			go func() {
				fresh := !fileExists(r.Path)
				disk()
				if fresh && r.diskErr == nil && linux.Traced() {
					// A debugger attached while the file was being written may have
					// looked for it already: registering again makes it look again.
					r.reregister()
				}
			}()
		}
	}
	r.mu.Lock()
	r.entry = linux.RegisterJITObject(r.memImg)
	r.mu.Unlock()
	regMu.Lock()
	registry[l] = r
	regMu.Unlock()
	return r, joinErrs(errs)
}

func joinErrs(errs []error) error {
	if len(errs) > 0 {
		return fmt.Errorf("debug info: %v", errs[0])
	}
	return nil
}

func (r *Registration) reregister() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone || r.entry == nil {
		return
	}
	r.entry.Unregister()
	r.entry = linux.RegisterJITObject(r.memImg)
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
	if r.Path != "" {
		if err := os.Remove(r.Path); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// MemoryImage returns the in-memory object registered with the debugger.
func (r *Registration) MemoryImage() []byte { return r.memImg }

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
// all: it is written to a temporary name and renamed.
func writeDebugFile(dir, path string, l *jitlink.Link, loaded []*secHdr, id []byte, syms []Sym) error {
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
