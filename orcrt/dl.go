package orcrt

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/jitrun/jitrun/archive"
	"github.com/jitrun/jitrun/debuginfo"
	"github.com/jitrun/jitrun/dlemu"
	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/platform/linux"
)

// glibc's dlopen mode bits.
const (
	rtldGlobal   = 0x100
	rtldNoload   = 0x4
	rtldNodelete = 0x1000
)

// dylibState is a dylib's dynamic-loader state: its handle, references and what unloading
// must undo.
type dylibState struct {
	id        int64
	refs      int
	global    bool
	nodelete  bool
	handle    uintptr
	cname     unsafe.Pointer // C string: the name dladdr and dl_iterate_phdr report
	origin    string
	tlsLib    *linux.Library
	exportLib *linux.Library
	syms      []addrSym      // exported definitions by address, for dladdr
	symsBuilt bool           // syms is built on the first dladdr
	phdrs     unsafe.Pointer // program headers for dl_iterate_phdr (C memory)
	nphdrs    int
	cstrs     []unsafe.Pointer
	debug     *debuginfo.Registration
	finiList  linux.FiniList // .fini_array, run at dlclose or exit
}

type addrSym struct {
	addr, size uint64
	name       string
	cname      unsafe.Pointer // made on first use (dladdr's answer lives until dlclose)
}

// sessionDL is the session's dynamic-loader state.
type sessionDL struct {
	lock     rlock
	declared map[string][]string // dylib name -> inputs (--dylib=NAME=FILES)
	open     []*Dylib            // loaded dylibs in load order (the program first)
	nextID   int64
	once     sync.Once
}

// rlock is a mutex the owning thread may take again: a dylib's initializer may dlopen
// another while its own dlopen holds the lock, as glibc's loader lock allows.
type rlock struct {
	mu    sync.Mutex
	cond  *sync.Cond
	owner int
	depth int
}

func (r *rlock) Lock() {
	tid := syscall.Gettid()
	r.mu.Lock()
	if r.cond == nil {
		r.cond = sync.NewCond(&r.mu)
	}
	for r.depth > 0 && r.owner != tid {
		r.cond.Wait()
	}
	r.owner = tid
	r.depth++
	r.mu.Unlock()
}

func (r *rlock) Unlock() {
	r.mu.Lock()
	r.depth--
	if r.depth == 0 {
		r.owner = 0
		r.cond.Broadcast()
	}
	r.mu.Unlock()
}

// DeclareDylib declares a JIT'd dylib made of inputs (objects, archives, sources) that is
// linked only when the program asks for it: dlopen("name"), a path ending in "/name", or
// -lNAME at link time.
func (s *Session) DeclareDylib(name string, inputs ...string) {
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	if s.dls.declared == nil {
		s.dls.declared = map[string][]string{}
	}
	s.dls.declared[name] = inputs
}

// activate makes the session answer the program's dynamic-loader calls.
func (s *Session) activate() {
	s.dls.once.Do(func() { dlemu.SetLoader((*loader)(s)) })
}

// declaredName finds the declared dylib a dlopen argument or -l name refers to.
func (s *Session) declaredName(name string, lib bool) (string, bool) {
	for n := range s.dls.declared {
		switch {
		case n == name, strings.HasSuffix(name, "/"+n):
			return n, true
		case lib && (n == "lib"+name+".so" || n == "lib"+name || n == name+".so"):
			return n, true
		}
	}
	return "", false
}

// loaded finds a loaded dylib by name.
func (s *Session) loaded(name string) *Dylib {
	for _, d := range s.dls.open {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// isRelocatable reports whether path names a relocatable object or an archive: such a file
// given to dlopen is linked as a new JIT'd dylib.
func isRelocatable(path string) bool {
	data, err := linux.MapFile(path)
	if err != nil {
		return false
	}
	defer syscall.Munmap(data)
	b := data
	n := len(b)
	if n > 18 {
		n = 18
	}
	if n >= 18 && linux.IsELF(b) {
		return binary.LittleEndian.Uint16(b[16:]) == 1 // ET_REL
	}
	return archive.IsArchive(b[:n])
}

// OpenDylib loads the JIT'd dylib name (declared, or a path to an object or archive) as dlopen
// would with mode, or takes one more reference to it if it is loaded.
func (s *Session) OpenDylib(name string, mode int) (*Dylib, error) {
	s.activate()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	key, declared := s.declaredName(name, false)
	if !declared {
		key = name
	}
	d := s.loaded(key)
	if d == nil {
		if mode&rtldNoload != 0 {
			return nil, nil
		}
		inputs := s.dls.declared[key]
		if !declared {
			inputs = []string{name}
		}
		var err error
		if d, err = s.loadDylib(key, inputs, mode&rtldGlobal != 0); err != nil {
			return nil, err
		}
	} else if mode&rtldGlobal != 0 && !d.dl.global {
		d.dl.global = true // a later RTLD_GLOBAL open promotes it
	}
	if mode&rtldNodelete != 0 {
		d.dl.nodelete = true
	}
	d.dl.refs++
	return d, nil
}

// loadDylib links a new dylib, runs its initializers and registers it with the emulation. A
// failing load leaves nothing behind.
func (s *Session) loadDylib(name string, inputs []string, global bool) (*Dylib, error) {
	d := &Dylib{Name: name, s: s}
	d.dl.global = global
	for _, in := range inputs {
		// -lNAME among a declared dylib's inputs names a dependency: another declared
		// dylib (linked first, as a DT_NEEDED library) or a library found on the path.
		if lib, ok := strings.CutPrefix(in, "-l"); ok {
			if err := d.AddLibrary(lib); err != nil {
				return nil, err
			}
			continue
		}
		if err := d.AddFile(in); err != nil {
			return nil, err
		}
	}
	// A dylib binds to the shared libraries the program was linked with, as a dlopen'ed
	// library finds them in the global scope.
	for _, lib := range s.main.libs {
		if lib.shared != nil {
			d.libs = append(d.libs, lib)
		}
	}
	if err := d.AddDefaultLibraries(); err != nil {
		return nil, err
	}
	if err := d.Link(); err != nil {
		d.release()
		d.closeDeps()
		return nil, err
	}
	// Finalizers run at dlclose before __cxa_finalize runs the atexit handlers registered
	// with the dylib's __dso_handle, or at exit after every atexit handler (_dl_fini).
	linux.RegisterExitFinalizers()
	d.dl.finiList = linux.NewFiniList(d.finis)
	s.register(d, filepath.Dir(absPath(inputs[0])))
	s.updateExitOrder()
	linux.RunInitializers(d.inits, []string{name})
	return d, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// register gives a linked dylib its handle, its dladdr table and its program headers.
func (s *Session) register(d *Dylib, origin string) {
	s.dls.nextID++
	d.dl.id = s.dls.nextID
	d.dl.origin = origin
	d.dl.cname = dlemu.CString(d.Name)
	base, _ := d.link.Region()
	d.dl.handle = dlemu.NewHandle(d.dl.id, base, d.dl.cname)
	d.dl.phdrs, d.dl.nphdrs = programHeaders(d)
	s.dls.open = append(s.dls.open, d)
	dlemu.NoteLoad()
}

// programHeaders synthesises ElfW(Phdr)s describing a dylib's memory: a PT_LOAD per
// permission group, PT_TLS and PT_GNU_EH_FRAME.
func programHeaders(d *Dylib) (unsafe.Pointer, int) {
	l := d.link
	base, _ := l.Region()
	var b phdrBuilder
	for _, seg := range l.Segments {
		if seg.Size > 0 {
			b.add(1, segmentFlags[seg.Perm], seg.Addr-base, seg.Size, 4096)
		}
	}
	if l.TLS.Size > 0 {
		b.addSizes(7, 4, l.TLS.Template-base, l.TLS.InitSize, l.TLS.Size, l.TLS.Align)
	}
	if l.EHFrameHdr != 0 {
		b.add(ptGNUEHFrame, 4, l.EHFrameHdr-base, l.EHFrameHdrSize, 4)
	}
	return dlemu.CBytes(b), len(b) / 56
}

// CloseDylib drops a reference taken by OpenDylib; the last one unloads the dylib: its atexit
// handlers and finalizers run, its unwind registration and TLS go, its memory is unmapped.
func (s *Session) CloseDylib(d *Dylib) error {
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	if d.dl.refs <= 0 {
		return fmt.Errorf("%s: not open", d.Name)
	}
	d.dl.refs--
	if d.dl.refs > 0 || d.dl.nodelete || d == s.main {
		return nil
	}
	for i, o := range s.dls.open {
		if o == d {
			s.dls.open = append(s.dls.open[:i], s.dls.open[i+1:]...)
			break
		}
	}
	s.updateExitOrder()
	// As a native library's .fini_array does: its own entries run in reverse, the last
	// being crtbegin's __do_global_dtors_aux, which calls __cxa_finalize(__dso_handle) for
	// the atexit handlers and static destructors registered with the library.
	d.dl.finiList.Run()
	linux.Finalize(d.link.DSOHandle.Addr)
	d.dl.finiList.Free()
	d.release()
	// Then its dependencies lose the reference it held, in reverse order (glibc unloads
	// what is no longer needed, dependents first).
	if err := d.closeDeps(); err != nil {
		return err
	}
	dlemu.FreeHandle(d.dl.handle)
	for _, c := range d.dl.cstrs {
		dlemu.FreeCString(c)
	}
	dlemu.FreeCString(d.dl.cname)
	dlemu.FreeCBytes(d.dl.phdrs)
	d.dl = dylibState{}
	return nil
}

// release undoes what a link registered and unmaps its memory.
func (d *Dylib) release() {
	l := d.link
	if l == nil {
		return
	}
	if l.EHFrame != 0 && d.linked {
		linux.DeregisterEHFrame(l.EHFrame)
	}
	if d.dl.debug != nil {
		d.dl.debug.Unregister()
	}
	if d.dl.tlsLib != nil {
		linux.ForgetTLSOffsets()
		d.dl.tlsLib.Close()
	}
	if d.dl.exportLib != nil {
		d.dl.exportLib.Close()
	}
	if base, size := l.Region(); size > 0 {
		d.s.mem.Free(base, size)
	}
	d.linked = false
}

// lookupGlobalJIT resolves a name of dylib d against the program and the RTLD_GLOBAL JIT'd
// dylibs (the global scope a dlopen'ed library binds to), as an external definition.
func (s *Session) lookupGlobalJIT(d *Dylib, name, version string) *jitlink.Symbol {
	if d == s.main || version != "" {
		return nil
	}
	// The global scope, then the dylib's own dependencies.
	scope := append([]*Dylib{s.main}, s.dls.open...)
	local := d.localScope()[1:]
	for i, o := range append(scope, local...) {
		if o == d || !o.linked || (i < len(scope) && o != s.main && !o.dl.global) {
			continue
		}
		def := o.defs[name]
		if def == nil || def.Res == nil || def.Visibility == jitlink.Hidden || def.Visibility == jitlink.Internal {
			continue
		}
		t := &jitlink.Symbol{Name: name, Def: jitlink.External, Binding: jitlink.Global, Type: def.Type,
			Size: def.Size, Addr: def.Res.Addr, Target: def.Res.Addr}
		t.Extra().Lib = o.Name
		if def.Type == jitlink.IFunc {
			t.Type = jitlink.Func
		}
		t.Res = t
		return t
	}
	return nil
}

// updateExitOrder gives the exit handler the finalizers of the JIT'd dylibs now loaded, in
// the order glibc's _dl_fini runs them: a depth-first walk from the last loaded, each dylib
// placed before what it depends on.
func (s *Session) updateExitOrder() {
	visited := map[*Dylib]bool{s.main: true}
	var order []*Dylib
	var visit func(d *Dylib)
	visit = func(d *Dylib) {
		visited[d] = true
		for _, dep := range d.depsOpened {
			if !visited[dep] {
				visit(dep)
			}
		}
		order = append(order, d)
	}
	for i := len(s.dls.open) - 1; i >= 0; i-- {
		if d := s.dls.open[i]; !visited[d] {
			visit(d)
		}
	}
	lists := make([]linux.FiniList, len(order))
	for i, d := range order {
		lists[len(order)-1-i] = d.dl.finiList
	}
	linux.SetExitFinalizers(lists)
}

// closeDeps drops the references d's link took on the JIT'd dylibs it depends on.
func (d *Dylib) closeDeps() error {
	var first error
	for i := len(d.depsOpened) - 1; i >= 0; i-- {
		if err := d.s.CloseDylib(d.depsOpened[i]); err != nil && first == nil {
			first = err
		}
	}
	d.depsOpened = nil
	return first
}

// localScope is d followed by the JIT'd dylibs it depends on (-lNAME of a declared dylib),
// breadth first: the objects glibc searches for a handle and a library's own lookups.
func (d *Dylib) localScope() []*Dylib {
	scope := []*Dylib{d}
	seen := map[*Dylib]bool{d: true}
	for i := 0; i < len(scope); i++ {
		for _, name := range scope[i].jitDeps {
			if dep := d.s.loaded(name); dep != nil && !seen[dep] {
				seen[dep] = true
				scope = append(scope, dep)
			}
		}
	}
	return scope
}

// loader is the session as the dynamic-loader emulation sees it.
type loader Session

func (l *loader) s() *Session { return (*Session)(l) }

func (l *loader) byID(id int64) *Dylib {
	for _, d := range l.dls.open {
		if d.dl.id == id {
			return d
		}
	}
	return nil
}

// Open implements dlemu.Loader.
func (l *loader) Open(name string, mode int) (uintptr, bool, error) {
	s := l.s()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	_, declared := s.declaredName(name, false)
	// Like glibc, only a name with a slash is a path.
	if !declared && s.loaded(name) == nil && !(strings.Contains(name, "/") && isRelocatable(name)) {
		return 0, false, nil
	}
	d, err := s.OpenDylib(name, mode)
	if err != nil {
		return 0, true, err
	}
	if d == nil { // RTLD_NOLOAD of a dylib that is not loaded
		return 0, false, nil
	}
	return d.dl.handle, true, nil
}

// Close implements dlemu.Loader.
func (l *loader) Close(id int64) error {
	s := l.s()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	d := l.byID(id)
	if d == nil {
		return fmt.Errorf("invalid handle")
	}
	return s.CloseDylib(d)
}

// symbol looks a name up in one dylib's exported definitions.
func (d *Dylib) symbol(name string) (uint64, bool) {
	def := d.defs[name]
	if def == nil || def.Res == nil || def.Visibility == jitlink.Hidden || def.Visibility == jitlink.Internal {
		return 0, false
	}
	return def.Res.Addr, true
}

// Sym implements dlemu.Loader.
func (l *loader) Sym(id int64, global, next bool, name, version string, caller uint64) (uint64, bool, error) {
	s := l.s()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	switch {
	case id != 0:
		d := l.byID(id)
		if d == nil {
			return 0, false, fmt.Errorf("invalid handle")
		}
		// The dylib, then its dependencies breadth first, as glibc searches a handle.
		if version == "" {
			for _, o := range d.localScope() {
				if a, ok := o.symbol(name); ok {
					return a, true, nil
				}
			}
		}
		for _, lib := range d.libs {
			if lib.shared == nil || lib.shared.lib == nil {
				continue
			}
			if a := lib.shared.lib.Sym(name, version); a != 0 {
				return a, true, nil
			}
		}
		return 0, false, fmt.Errorf("%s: undefined symbol: %s", d.Name, name)
	case global:
		if a, ok := s.main.programSymbol(name); ok && version == "" {
			return a, true, nil
		}
		for _, d := range s.dls.open {
			if d.dl.global && version == "" {
				if a, ok := d.symbol(name); ok {
					// glibc records that the caller (the executable, or a library
					// loaded with it) now depends on the dylib: it stays loaded.
					d.dl.nodelete = true
					return a, true, nil
				}
			}
		}
	case next:
		// After the caller's dylib: the rest of its local scope (its dependencies), then
		// the global dylibs loaded after it.
		var from *Dylib
		for _, d := range s.dls.open {
			if base, size := d.link.Region(); caller >= base && caller < base+size {
				from = d
				break
			}
		}
		if from == nil || version != "" {
			break
		}
		for _, o := range from.localScope()[1:] {
			if a, ok := o.symbol(name); ok {
				return a, true, nil
			}
		}
		after := false
		for _, d := range s.dls.open {
			if after && d.dl.global {
				if a, ok := d.symbol(name); ok {
					return a, true, nil
				}
			}
			after = after || d == from
		}
	}
	return 0, false, nil
}

// programSymbol answers dlsym(RTLD_DEFAULT) for the program: its definitions, then the
// canonical stubs and copies of library symbols it references (a native executable's
// .dynsym).
func (d *Dylib) programSymbol(name string) (uint64, bool) {
	if !d.linked {
		return 0, false
	}
	if a, ok := d.symbol(name); ok {
		return a, true
	}
	if t := d.exts[name]; t != nil && (t.NeedsStub || t.NeedsCopy) {
		return t.Addr, true
	}
	return 0, false
}

// Addr implements dlemu.Loader.
func (l *loader) Addr(addr uint64) (dlemu.AddrInfo, bool) {
	s := l.s()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	for _, d := range s.dls.open {
		base, size := d.link.Region()
		if (addr < base || addr >= base+size) && !d.lazyOwns(addr) { // LAZY: stubs, later batches
			continue
		}
		ai := dlemu.AddrInfo{File: d.dl.cname, Base: base}
		syms := d.addrTable()
		i := sort.Search(len(syms), func(i int) bool { return syms[i].addr > addr }) - 1
		if i >= 0 && (addr < syms[i].addr+syms[i].size || syms[i].size == 0) {
			if syms[i].cname == nil {
				syms[i].cname = dlemu.CString(syms[i].name)
				d.dl.cstrs = append(d.dl.cstrs, syms[i].cname)
			}
			ai.Symbol, ai.SymbolAddr = syms[i].cname, syms[i].addr
		}
		return ai, true
	}
	return dlemu.AddrInfo{}, false
}

// addrTable is the dylib's exported definitions sorted by address, built on the first
// dladdr (most programs never call it; clang has 140,000 such names). Under dls.lock.
func (d *Dylib) addrTable() []addrSym {
	if d.dl.symsBuilt {
		return d.dl.syms
	}
	d.dl.symsBuilt = true
	for name, sym := range d.defs {
		if sym.Res != sym || sym.Visibility == jitlink.Hidden || sym.Visibility == jitlink.Internal ||
			sym.Type == jitlink.TLS || sym.Def == jitlink.Absolute {
			continue
		}
		d.dl.syms = append(d.dl.syms, addrSym{addr: sym.Addr, size: sym.Size, name: name})
	}
	sort.Slice(d.dl.syms, func(i, j int) bool {
		a, b := d.dl.syms[i], d.dl.syms[j]
		return a.addr < b.addr || a.addr == b.addr && a.name > b.name // aliases: the same one each run
	})
	return d.dl.syms
}

// Origin implements dlemu.Loader.
func (l *loader) Origin(id int64) (string, error) {
	if d := l.byID(id); d != nil {
		return d.dl.origin, nil
	}
	return "", fmt.Errorf("invalid handle")
}

// TLSModule implements dlemu.Loader.
func (l *loader) TLSModule(id int64) uint64 {
	if d := l.byID(id); d != nil && d.link.TLS.Size > 0 {
		return d.link.TLS.ModID
	}
	return 0
}

// Modules implements dlemu.Loader.
func (l *loader) Modules() []dlemu.Module {
	s := l.s()
	s.dls.lock.Lock()
	defer s.dls.lock.Unlock()
	var out []dlemu.Module
	for _, d := range s.dls.open {
		base, _ := d.link.Region()
		m := dlemu.Module{Base: base, Name: d.dl.cname, Phdrs: d.dl.phdrs, NumPhdrs: d.dl.nphdrs}
		if d.link.TLS.Size > 0 {
			m.TLSMod = d.link.TLS.ModID
		}
		out = append(out, m)
		out = append(out, d.lazyModules()...) // LAZY: stubs and lazily linked batches
	}
	return out
}
