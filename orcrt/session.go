// Package orcrt is jitrun's session and public Go API: it owns dylibs (sets of objects,
// archives and shared libraries linked together), symbol resolution with a static linker's
// rules, the link pipeline (scan, layout, fixups, finalisation) and running programs.
//
// A typical use:
//
//	s := orcrt.NewSession(orcrt.Options{})
//	d := s.MainDylib()
//	d.AddFile("main.o")
//	d.AddLibrary("m")
//	d.AddDefaultLibraries()
//	if err := d.Link(); err != nil { ... }
//	s.RunMain(d, []string{"prog", "arg"}) // does not return
package orcrt

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/jitrun/jitrun/archive"
	"github.com/jitrun/jitrun/internal/cc"
	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
	"github.com/jitrun/jitrun/ldscript"
	"github.com/jitrun/jitrun/platform/linux"
)

// Options configure a session.
type Options struct {
	// LibDirs are searched for -lNAME before the system linker's default directories.
	LibDirs []string
	// CC holds the compiler settings used for source inputs.
	CC cc.Options
	// Stderr receives compiler diagnostics (default os.Stderr).
	Stderr io.Writer
	// NoDebug turns off debugger support (package debuginfo): by default every link batch
	// is registered with the GDB JIT interface and gets a debug file under DebugDir.
	NoDebug bool
	// DebugDir is the debug file directory (default debuginfo.DefaultDir()).
	DebugDir string
	// PerfMap writes /tmp/perf-PID.map; JITDump writes a jitdump for perf inject --jit.
	PerfMap, JITDump bool
	// Lazy links an object of the program only when one of its functions is first called
	// (lazy.go); Speculate then links, in the background, what linked code refers to.
	// LazyStats prints what laziness did when the program exits.
	Lazy, Speculate, LazyStats bool
}

// Session is one process's JIT linking state: its memory, its dylibs and the libraries the
// dynamic loader has loaded for them.
type Session struct {
	opts    Options
	mem     *linux.LowMemory
	arch    x86_64.Arch
	main    *Dylib
	libMu   sync.Mutex
	libs    map[string]*sharedLib // by path
	files   map[string]*inputFile // mapped inputs by path
	sysDirs []string
	dls     sessionDL // JIT'd dylibs opened with dlopen (dl.go)
	started bool      // the program's code has started running
}

// NewSession creates a session.
func NewSession(opts Options) *Session {
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	s := &Session{opts: opts, mem: linux.NewLowMemory(), libs: map[string]*sharedLib{}}
	s.sysDirs = systemLibDirs()
	s.main = &Dylib{Name: "main", s: s}
	return s
}

// MainDylib returns the program's dylib.
func (s *Session) MainDylib() *Dylib { return s.main }

// sharedLib is a precompiled shared library: its symbol table, and once something binds to
// it, its handle in the dynamic loader.
type sharedLib struct {
	path     string
	elf      *linux.SharedLib
	asNeeded bool
	once     sync.Once
	lib      *linux.Library
	err      error
}

func (l *sharedLib) load() (*linux.Library, error) {
	l.once.Do(func() {
		// A path without a slash would make the loader search its own path instead.
		p := l.path
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		l.lib, l.err = linux.Dlopen(p)
		if l.err != nil {
			l.err = fmt.Errorf("%s: cannot load: %v", l.path, l.err)
		}
	})
	return l.lib, l.err
}

// library is one entry of a dylib's ordered library list: an archive or a shared library.
type library struct {
	file   *inputFile // the session's cached input, for archives
	ar     *archive.Archive
	index  map[string]int // symbol -> member
	pulled []bool
	shared *sharedLib
}

// Dylib is a set of inputs linked together into one unit of JIT'd code, like an executable or
// a shared library produced by a static linker.
type Dylib struct {
	Name string
	s    *Session

	objects []objectInput
	libs    []*library
	// archIndex: every archive symbol's first definition (indexArchives); unindexed: an
	// archive without a symbol index was added.
	archIndex *archIndex
	unindexed bool
	cxx       bool
	defLibs   bool

	linked     bool
	graphs     []*jitlink.Graph
	link       *jitlink.Link
	defs       map[string]*jitlink.Symbol
	exts       map[string]*jitlink.Symbol
	synth      map[string]*jitlink.Symbol
	extRefs    map[*jitlink.Symbol]extRef
	ifuncs     []*jitlink.Symbol
	inits      []uint64
	finis      []uint64
	firstIn    string
	firstPath  string
	jitDeps    []string // declared JIT'd dylibs linked against with -l
	depsOpened []*Dylib // those opened for this dylib's link (closed with it)

	// Stats holds what the last Link did and how long each phase took.
	Stats LinkStats

	dl dylibState // dynamic-loader state (dl.go)

	lazy *lazyState // lazy linking (lazy.go), nil unless Options.Lazy
}

type objectInput struct {
	name string
	data []byte
}

// InputError is a problem with one input file.
type InputError struct {
	File string
	Err  error
}

func (e *InputError) Error() string {
	if fe, ok := e.Err.(*linux.FormatError); ok {
		return fe.Error()
	}
	return e.File + ": " + e.Err.Error()
}

func (e *InputError) Unwrap() error { return e.Err }

// FirstInput is the base name of the first input, the default argv[0].
func (d *Dylib) FirstInput() string { return d.firstIn }

func (d *Dylib) noteInput(path string) {
	if d.firstIn == "" {
		d.firstIn, d.firstPath = filepath.Base(path), path
	}
}

// AddFile adds an input by path, recognising it by content: a relocatable object, an
// archive, a shared library, a GNU ld script, or (by extension) a C or C++ source.
func (d *Dylib) AddFile(path string) error {
	d.noteInput(path)
	if isSrc, isCXX := cc.Kind(path); isSrc {
		obj, err := cc.Object(path, d.s.ccOptions())
		if err != nil {
			return err
		}
		if isCXX {
			d.cxx = true
		}
		return d.addPath(obj, path, false, 0)
	}
	return d.addPath(path, path, false, 0)
}

func (s *Session) ccOptions() cc.Options {
	o := s.opts.CC
	if o.Stderr == nil {
		o.Stderr = s.opts.Stderr
	}
	return o
}

// AddObject adds a relocatable object held in memory; name is used in messages.
func (d *Dylib) AddObject(name string, data []byte) error {
	d.noteInput(name)
	d.objects = append(d.objects, objectInput{name, data})
	return nil
}

// inputFile is an input mapped once per session: dylibs linked later (dlopen) reuse the
// mapping and, for archives, the parsed member list and symbol index.
type inputFile struct {
	data   []byte
	mapped bool // data is a file mapping (archives, shared libraries), not a heap copy
	size   int64
	mtime  int64
	ar     *archive.Archive
	index  map[string]int
}

// mapInput maps path, or returns the session's mapping if the file has not changed since.
func (s *Session) mapInput(path string) (*inputFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	size, mtime := st.Size(), st.ModTime().UnixNano()
	s.libMu.Lock()
	f := s.files[path]
	s.libMu.Unlock()
	if f != nil && f.size == size && f.mtime == mtime {
		return f, nil
	}
	// Read outside the lock: Prefetch reads inputs on all cores (a program of 2,000
	// objects spent 30 ms reading them one at a time under it).
	data, mapped, err := linux.LoadFile(path)
	if err != nil {
		return nil, err
	}
	s.libMu.Lock()
	defer s.libMu.Unlock()
	if f := s.files[path]; f != nil && f.size == size && f.mtime == mtime {
		// Another worker read it meanwhile (a file named twice): keep one copy.
		if mapped {
			syscall.Munmap(data)
		}
		return f, nil
	}
	f = &inputFile{data: data, mapped: mapped, size: size, mtime: mtime}
	if s.files == nil {
		s.files = map[string]*inputFile{}
	}
	s.files[path] = f
	return f, nil
}

// Prefetch maps and indexes the archives among files and -l libraries (searched as
// AddLibrary searches them), on all cores, ahead of the in-order AddFile and AddLibrary
// calls, which then find them ready: reading the member headers of clang's 230 archives
// takes ~30 ms on one core. Errors are left for those calls to report.
func (s *Session) Prefetch(files, libs []string) {
	var paths []string
	for _, f := range files {
		if isSrc, _ := cc.Kind(f); !isSrc {
			paths = append(paths, f)
		}
	}
	for _, l := range libs {
		if _, ok := s.declaredName(l, true); ok {
			continue
		}
		if p, err := s.findLib(l, nil); err == nil {
			paths = append(paths, p)
		}
	}
	jitlink.Parallel(len(paths), func(i int) { s.prefetchArchive(paths[i]) })
}

func (s *Session) prefetchArchive(path string) {
	if in, err := s.mapInput(path); err == nil && archive.IsArchive(in.data) {
		s.readArchive(path, in) // an error is AddFile's or AddLibrary's to report
	}
}

// readArchive returns the parsed archive of input in, reading its member headers (outside
// the session's lock, so prefetching workers read archives side by side) the first time.
func (s *Session) readArchive(path string, in *inputFile) (*archive.Archive, error) {
	s.libMu.Lock()
	ar := in.ar
	s.libMu.Unlock()
	if ar != nil {
		return ar, nil
	}
	var err error
	if in.mapped {
		// The member headers are read with pread, not through the mapping: each fault
		// there maps the 64 KiB around it, so the walk brought whole archives in, to be
		// dropped again (MADV_DONTNEED, a TLB flush on every core running jitrun) and
		// faulted back by the members the link pulls (CPython: all 179 of libpython's).
		// Only the index, the long-name table and the pulled members are read from the
		// mapping now. (If the file was replaced since it was mapped, the mapping is read.)
		if f, ferr := linux.OpenFileReader(path); ferr == nil {
			if f.Same(int64(len(in.data)), in.mtime) {
				ar, err = archive.ParseHeaders(path, in.data, f)
			}
			f.Close()
		}
	}
	if ar == nil && err == nil {
		ar, err = archive.Parse(path, in.data)
	}
	if err != nil {
		return nil, err
	}
	s.libMu.Lock()
	defer s.libMu.Unlock()
	if in.ar == nil {
		in.ar = ar
	}
	return in.ar, nil
}

// releaseInputPages drops the pages of the session's mapped inputs from the resident set
// (see linux.ReleasePages): what a link still reads from them comes back from the page
// cache.
func (s *Session) releaseInputPages() {
	s.libMu.Lock()
	defer s.libMu.Unlock()
	for _, f := range s.files {
		if f.mapped {
			linux.ReleasePages(f.data)
		}
	}
}

func (d *Dylib) addPath(path, display string, asNeeded bool, depth int) error {
	in, err := d.s.mapInput(path)
	var data []byte
	if in != nil {
		data = in.data
	}
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			return &InputError{File: display, Err: pe.Err}
		}
		return &InputError{File: display, Err: err}
	}
	switch {
	case len(data) == 0:
		return &InputError{File: display, Err: fmt.Errorf("file is empty")}
	case linux.IsELF(data):
		if len(data) > 16 && data[16] == 3 { // ET_DYN
			return d.addShared(path, data, asNeeded)
		}
		d.objects = append(d.objects, objectInput{display, data})
		return nil
	case archive.IsArchive(data):
		ar, err := d.s.readArchive(path, in)
		if err != nil {
			return err
		}
		d.s.libMu.Lock()
		defer d.s.libMu.Unlock()
		d.libs = append(d.libs, &library{ar: ar, index: in.index, pulled: make([]bool, len(ar.Members)), file: in})
		return nil
	case ldscript.LooksLikeScript(data):
		if depth > 8 {
			return &InputError{File: display, Err: fmt.Errorf("linker scripts nested too deeply")}
		}
		sc, err := ldscript.Parse(path, data)
		if err != nil {
			return err
		}
		for _, in := range sc.Inputs {
			p, err := d.s.findScriptInput(in, filepath.Dir(path), sc.SearchDirs)
			if err != nil {
				return &InputError{File: path, Err: err}
			}
			if err := d.addPath(p, p, asNeeded || in.AsNeeded, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return &InputError{File: display, Err: fmt.Errorf("file format not recognized (not an ELF object, archive, shared library or linker script)")}
}

// archMember is an archive member of a dylib's link: d.libs[lib].ar.Members[member].
type archMember struct{ lib, member int32 }

// archIndex maps each name the archives' symbol indexes list to the first archive (in
// command-line order) and member that defines it. It is two maps, split by the parity of the
// name's length (C++ and C names are evenly odd and even), built at once on two cores: one
// map took clang's 250,000 index entries 35 ms, before any member could be pulled.
type archIndex struct{ half [2]map[string]archMember }

// get returns the first definition of name in the archives.
func (x *archIndex) get(name string) (archMember, bool) {
	m, ok := x.half[len(name)&1][name]
	return m, ok
}

// size returns how many names the archives define.
func (x *archIndex) size() int { return len(x.half[0]) + len(x.half[1]) }

// indexArchives builds the dylib's archive symbol index, so that resolving a name takes one
// lookup however many archives there are (clang's link has 200). Without an index (rare),
// resolution searches the archives one by one.
func (d *Dylib) indexArchives() {
	n := 0
	for _, lib := range d.libs {
		if lib.ar == nil {
			continue
		}
		n += len(lib.ar.Symbols)
		if !lib.ar.HasIndex {
			// glibc's librt.a, libdl.a, libpthread.a are empty archives without an index.
			d.unindexed = d.unindexed || len(lib.ar.Members) > 0
		}
	}
	x := &archIndex{}
	fill := func(h int) { // names of even length in one half, odd in the other
		m := make(map[string]archMember, n/2)
		x.half[h] = m
		for pos, lib := range d.libs {
			if lib.ar == nil || !lib.ar.HasIndex {
				continue
			}
			for _, s := range lib.ar.Symbols {
				if len(s.Name)&1 != h {
					continue
				}
				if _, dup := m[s.Name]; !dup {
					m[s.Name] = archMember{int32(pos), int32(s.Member)}
				}
			}
		}
	}
	jitlink.Parallel(len(x.half), fill)
	d.archIndex = x
}

// archiveIndex maps each symbol of an archive's index to the first member defining it (nil
// when the archive has no index: it is built from the members when first needed).
func archiveIndex(ar *archive.Archive) map[string]int {
	if !ar.HasIndex {
		return nil
	}
	index := make(map[string]int, len(ar.Symbols))
	for _, s := range ar.Symbols {
		if _, dup := index[s.Name]; !dup {
			index[s.Name] = s.Member
		}
	}
	return index
}

// indexMembers builds a symbol index for an archive that has none, by reading each member.
func (lib *library) indexMembers() error {
	lib.index = map[string]int{}
	defer func() {
		if lib.file != nil {
			lib.file.index = lib.index
		}
	}()
	for i, m := range lib.ar.Members {
		g, err := linux.ReadObject(lib.ar.Path+"("+m.Name+")", m.Data)
		if err != nil {
			return err
		}
		for _, s := range g.Symbols[g.FirstGlobal:] {
			if s != nil && s.Def != jitlink.Undefined {
				if _, dup := lib.index[s.Name]; !dup {
					lib.index[s.Name] = i
				}
			}
		}
	}
	return nil
}

func (d *Dylib) addShared(path string, data []byte, asNeeded bool) error {
	d.s.libMu.Lock()
	sl := d.s.libs[path]
	if sl == nil {
		el, err := linux.ReadSharedLib(path, data)
		if err != nil {
			d.s.libMu.Unlock()
			return err
		}
		sl = &sharedLib{path: path, elf: el, asNeeded: asNeeded}
		d.s.libs[path] = sl
	}
	d.s.libMu.Unlock()
	if !asNeeded {
		sl.asNeeded = false
	}
	d.libs = append(d.libs, &library{shared: sl})
	return nil
}

// AddLibrary adds -lNAME: libNAME.so or libNAME.a from the library search path, preferring
// the shared library within each directory, as ld does by default.
func (d *Dylib) AddLibrary(name string) error {
	if dep, ok := d.s.declaredName(name, true); ok {
		d.jitDeps = append(d.jitDeps, dep)
		return nil
	}
	p, err := d.s.findLib(name, nil)
	if err != nil {
		return err
	}
	return d.addPath(p, p, false, 0)
}

// AddDefaultLibraries adds what gcc's driver links by default: libgcc, libgcc_s, libc (and
// for C++ sources libstdc++ and libm first).
func (d *Dylib) AddDefaultLibraries() error {
	if d.defLibs {
		return nil
	}
	d.defLibs = true
	if d.cxx {
		for _, n := range []string{"stdc++", "m"} {
			if err := d.AddLibrary(n); err != nil {
				return err
			}
		}
	}
	if p, err := d.s.findFile("libgcc.a"); err == nil {
		if err := d.addPath(p, p, false, 0); err != nil {
			return err
		}
	}
	if p, err := d.s.findLib("gcc_s", nil); err == nil {
		if err := d.addPath(p, p, true, 0); err != nil {
			return err
		}
	}
	return d.AddLibrary("c")
}

// DefaultInputs returns the files and -l names AddDefaultLibraries adds for a C program
// (libgcc.a and libgcc_s from the compiler's directory, then -lc), for Prefetch to read
// ahead with the command line's inputs: libgcc.a's 250 member headers were otherwise read on
// one core after everything else.
func (d *Dylib) DefaultInputs() (files, libs []string) {
	if p, err := d.s.findFile("libgcc.a"); err == nil {
		files = append(files, p)
	}
	if p, err := d.s.findLib("gcc_s", nil); err == nil {
		files = append(files, p)
	}
	return files, []string{"c"}
}

// SetCXX makes AddDefaultLibraries add the C++ runtime, as g++ does.
func (d *Dylib) SetCXX() { d.cxx = true }

// AddLibDir appends a directory to the -l search path.
func (s *Session) AddLibDir(dir string) { s.opts.LibDirs = append(s.opts.LibDirs, dir) }

func (s *Session) dirs(extra []string) []string {
	out := append([]string{}, s.opts.LibDirs...)
	out = append(out, extra...)
	return append(out, s.sysDirs...)
}

func (s *Session) findLib(name string, extra []string) (string, error) {
	if strings.HasPrefix(name, ":") {
		return s.findFileIn(name[1:], extra)
	}
	for _, dir := range s.dirs(extra) {
		for _, f := range []string{"lib" + name + ".so", "lib" + name + ".a"} {
			p := filepath.Join(dir, f)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("cannot find -l%s", name)
}

func (s *Session) findFile(name string) (string, error) { return s.findFileIn(name, nil) }

func (s *Session) findFileIn(name string, extra []string) (string, error) {
	for _, dir := range s.dirs(extra) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("cannot find %s", name)
}

// findScriptInput locates a file named by a linker script: absolute paths as they are, -l
// names through the search path, other names in the script's directory, then the search path.
func (s *Session) findScriptInput(in ldscript.Input, dir string, searchDirs []string) (string, error) {
	if in.IsLib {
		return s.findLib(in.Name, searchDirs)
	}
	if filepath.IsAbs(in.Name) {
		return in.Name, nil
	}
	if p := filepath.Join(dir, in.Name); fileExists(p) {
		return p, nil
	}
	return s.findFileIn(in.Name, searchDirs)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// systemLibDirs is the library search path gcc's driver and GNU ld use on Debian x86-64.
func systemLibDirs() []string {
	var dirs []string
	if gccDir := gccLibDir(); gccDir != "" {
		dirs = append(dirs, gccDir)
	}
	return append(dirs,
		"/usr/local/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
		"/usr/lib/x86_64-linux-gnu64", "/usr/local/lib64", "/lib64", "/usr/lib64",
		"/usr/local/lib", "/lib", "/usr/lib", "/usr/x86_64-linux-gnu/lib64", "/usr/x86_64-linux-gnu/lib")
}

// gccLibDir finds gcc's private library directory (libgcc.a, libstdc++.so) for the newest
// installed gcc.
func gccLibDir() string {
	var ms []string
	names, _ := linux.ReadDirNames("/usr/lib/gcc/x86_64-linux-gnu")
	for _, n := range names {
		if p := filepath.Join("/usr/lib/gcc/x86_64-linux-gnu", n, "libgcc.a"); fileExists(p) {
			ms = append(ms, p)
		}
	}
	if len(ms) == 0 {
		return ""
	}
	sort.Slice(ms, func(i, j int) bool { return versionLess(ms[i], ms[j]) })
	return filepath.Dir(ms[len(ms)-1])
}

func versionLess(a, b string) bool {
	va, vb := filepath.Base(filepath.Dir(a)), filepath.Base(filepath.Dir(b))
	var x, y int
	fmt.Sscanf(va, "%d", &x)
	fmt.Sscanf(vb, "%d", &y)
	if x != y {
		return x < y
	}
	return va < vb
}
