package orcrt

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jitrun/jitrun/debuginfo"
	"github.com/jitrun/jitrun/dlemu"
	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/platform/linux"
)

// resolver carries the symbol-resolution state of one dylib's link.
type resolver struct {
	d      *Dylib
	defs   map[string]*jitlink.Symbol
	groups map[string]bool
	dups   []error
	work   []string
	// asked holds the names pullArchives has looked up: the answer (a member pulled, a
	// shared library, nothing) cannot change, and a name like memcpy is needed by
	// thousands of objects, each of which would search every library again.
	asked map[string]bool

	allGraphs []*jitlink.Graph
	pool      *parsePool // parses what add takes (prefetch.go)
}

// Link resolves, lays out, fixes up and finalises the dylib: after it, its code can run.
// Errors are reported all at once (every undefined symbol, every duplicate definition).
func (d *Dylib) Link() error {
	if d.linked {
		return nil
	}
	st := &d.Stats
	mark := st.start()
	d.indexArchives()
	// About as many names get defined as the archives index (clang: 140 k of 163 k): sized
	// once, the table is not rebuilt a dozen times as it grows. The COMDAT groups (clang:
	// 65 k) and the names looked up in the archives (13 k) are sized from it too: grown
	// from empty, their tables were split and every long C++ name hashed again, ~20 ms of
	// the resolver's ~100 ms on clang.
	n := d.archIndex.size()
	r := &resolver{d: d, defs: make(map[string]*jitlink.Symbol, n), groups: make(map[string]bool, n/2),
		asked: make(map[string]bool, n/8)}
	r.pool = newParsePool(d)
	err := r.pool.parseAndAdd(r.pool.objects(), r.add)
	if err == nil {
		err = r.pullArchives()
	}
	r.pool.stop()
	st.Parsed = int(r.pool.parsed.Load())
	if err != nil {
		return err
	}
	if len(r.dups) > 0 {
		return jitlink.MultiError(r.dups)
	}
	d.graphs, d.defs = r.allGraphs, r.defs
	mark("parse+resolve")
	d.exts = map[string]*jitlink.Symbol{}
	d.synth = map[string]*jitlink.Symbol{}
	l := jitlink.NewLink(d.Name, d.s.arch, d.graphs)
	l.RelocName = linux.RelocName
	l.TLSDescDynamic = linux.TLSDescResolver()
	d.link = l
	for _, dep := range d.jitDeps {
		// -lNAME of a declared JIT'd dylib: linked before this one, like a
		// DT_NEEDED library, and its initializers run first.
		mode := 0
		if d == d.s.main || d.dl.global {
			mode = rtldGlobal // the executable's dependencies are the global scope
		}
		dd, err := d.s.OpenDylib(dep, mode)
		if err != nil {
			return err
		}
		d.depsOpened = append(d.depsOpened, dd)
	}
	if err := d.bind(); err != nil {
		return err
	}
	mark("bind")
	if d.s.opts.Lazy && d == d.s.main { // LAZY: objects only calls reach wait for them (lazy.go)
		if err := d.lazySplit(); err != nil {
			return err
		}
		mark("lazy split")
	}
	if err := l.Scan(); err != nil {
		return err
	}
	mark("scan")
	// The input pages parsing touched stay mapped until the link is done: layout copies the
	// sections from them. (Releasing them here took ~40 ms of clang's link to fault the
	// sections back in, for a peak RSS 9% lower made of clean page-cache pages, which the
	// kernel reclaims at once under memory pressure anyway.)
	if err := l.Layout(d.s.mem); err != nil {
		return err
	}
	if err := d.lazyPlaceStubs(); err != nil { // LAZY: stubs are the deferred functions' addresses
		return err
	}
	mark("layout")
	if err := d.ensureStaticTLS(); err != nil {
		return err
	}
	d.placeSynthetics()
	// The program's definitions become visible to the dynamic loader before its libraries
	// are loaded, so a library that calls back into the program (an undefined symbol the
	// program defines) loads, as it would against a native executable.
	if err := d.export(); err != nil {
		return err
	}
	mark("export")
	if err := d.loadLibraries(); err != nil {
		return err
	}
	mark("load libraries")
	if err := d.registerTLS(); err != nil {
		return err
	}
	if err := l.ApplyFixups(); err != nil {
		return err
	}
	mark("fixups")
	done := map[uint64]bool{}
	for _, c := range l.Copies {
		// A copy relocation: the JIT'd program owns the variable from now on, and every
		// loaded library that reaches it through its GOT is pointed at the copy.
		if done[c.Target] {
			continue // an alias of a variable already copied
		}
		done[c.Target] = true
		copy(l.Mem(c.Addr, c.Size), unsafeBytes(c.Target, c.Size))
		if err := linux.RedirectData(c.Target, c.Addr); err != nil {
			return err
		}
	}
	if err := l.Protect(d.s.mem); err != nil {
		return err
	}
	// IFUNC resolvers run once, now that the code they live in is executable.
	for _, t := range l.Stubs {
		if t.Def == jitlink.Defined && t.Type == jitlink.IFunc {
			l.SetStubTarget(t, linux.Call(t.Target))
		}
	}
	if err := l.FinishRelro(d.s.mem); err != nil {
		return err
	}
	if l.EHFrame != 0 {
		if err := linux.RegisterEHFrame(l.EHFrame); err != nil {
			return err
		}
	}
	d.inits, d.finis = l.Initializers(), l.Finalizers()
	// The image holds what runs: the inputs' pages can go, on the other core while the
	// program starts (for clang ~10 ms of unmapping nobody needs to wait for).
	go d.s.releaseInputPages()
	mark("finalize")
	// Counted before the debug registration starts: its background work holds one of the
	// runtime's Ps on a thread at idle priority, so parallel work after it can wait for
	// that thread to be scheduled (2-3 ms of CPython's link went there).
	st.count(d)
	if o := d.s.opts; !o.NoDebug || o.PerfMap || o.JITDump {
		reg, err := debuginfo.Register(l, debuginfo.Options{Debug: !o.NoDebug, Dir: o.DebugDir, PerfMap: o.PerfMap, JITDump: o.JITDump})
		if err != nil {
			fmt.Fprintf(o.Stderr, "jitrun: warning: %v\n", err)
		}
		d.dl.debug = reg // unregistered when the dylib is unloaded
		// The registration reads the inputs again (symbol names, the build id's hash of the
		// debug sections) on its background thread: once it is done, their pages go again.
		debuginfo.AfterBackground(d.s.releaseInputPages)
		mark("debug info")
	}
	d.linked = true
	if d == d.s.main {
		// The program is the first object the dynamic-loader emulation knows.
		d.s.activate()
		d.s.register(d, filepath.Dir(absPath(d.firstPath)))
		d.dl.refs = 1
	}
	return nil
}

// bindLocals binds a graph's local symbols to themselves (nothing else can define them), on
// the worker that read the graph: add, on the one goroutine that builds the symbol table,
// then only visits the globals.
func bindLocals(g *jitlink.Graph) {
	for i, s := range g.Symbols {
		if s != nil && (i < g.FirstGlobal || s.Binding == jitlink.Local) {
			s.Res = s
		}
	}
}

// strength orders competing definitions: a strong definition beats a common one, which beats
// a weak one.
func strength(s *jitlink.Symbol) int {
	switch {
	case s.Def == jitlink.Common:
		return 1
	case s.Binding == jitlink.Weak:
		return 0
	}
	return 2
}

func isDefinition(s *jitlink.Symbol) bool {
	switch s.Def {
	case jitlink.Defined:
		return !s.Section.Discard
	case jitlink.Absolute, jitlink.Common:
		return true
	}
	return false
}

// add takes a graph into the link: COMDAT groups, definitions and the names it still needs.
func (r *resolver) add(g *jitlink.Graph) {
	r.allGraphs = append(r.allGraphs, g)
	for gi := range g.Groups {
		grp := &g.Groups[gi]
		if r.groups[grp.Signature] {
			for _, si := range grp.Sections {
				if sec := g.SectionAt(si); sec != nil {
					sec.Discard = true
				}
			}
			continue
		}
		r.groups[grp.Signature] = true
		grp.Kept = true
	}
	for _, s := range g.Symbols[min(g.FirstGlobal, len(g.Symbols)):] {
		if s == nil || s.Binding == jitlink.Local { // bound by bindLocals
			continue
		}
		if !isDefinition(s) {
			if s.Binding != jitlink.Weak && s.Version() == "" {
				if _, ok := r.defs[s.Name]; !ok {
					r.work = append(r.work, s.Name)
				}
			} else if s.Version() != "" && s.Binding != jitlink.Weak {
				r.work = append(r.work, s.Name+"@"+s.Version())
			}
			continue
		}
		// The definition a name resolves to so far is marked (Res == s), so that bind
		// knows the winners without looking each up again.
		old := r.defs[s.Name]
		switch {
		case old == nil:
			r.defs[s.Name] = s
			s.Res = s
		case old.Def == jitlink.Common && s.Def == jitlink.Common:
			if s.Size > old.Size {
				old.Size = s.Size
			}
			if s.Value > old.Value {
				old.Value = s.Value
			}
		case strength(s) > strength(old):
			r.defs[s.Name] = s
			s.Res, old.Res = s, nil
		case strength(s) == 2 && strength(old) == 2:
			r.dups = append(r.dups, fmt.Errorf("%s: multiple definition of `%s'; %s: first defined here",
				where(g, s), s.Name, where(old.Graph, old)))
		}
	}
}

func where(g *jitlink.Graph, s *jitlink.Symbol) string {
	if g == nil {
		return "<jitrun>"
	}
	if s.Section != nil {
		return fmt.Sprintf("%s:(%s+%#x)", g.Name, s.Section.Name, s.Value)
	}
	return g.Name
}

// pullArchives links archive members that define symbols still needed, repeatedly until
// nothing changes, so that archive order does not matter (like --start-group). A name is
// taken from the first library in command-line order that defines it; a shared library
// that comes first stops the archive member from being pulled.
func (r *resolver) pullArchives() error {
	type pull struct {
		lib int // d.libs index
		m   int
	}
	var spare []string
	if r.d.archIndex == nil {
		r.d.indexArchives()
	}
	for len(r.work) > 0 {
		var wave []pull
		work := r.work
		r.work, spare = spare[:0], work // the next wave's names reuse the last one's slice
		for _, name := range work {
			if _, ok := r.defs[name]; ok || r.asked[name] {
				continue
			}
			r.asked[name] = true
			base, ver, _ := strings.Cut(name, "@")
			if ver == "" && !r.d.unindexed {
				// The first archive defining the name, unless a shared library before it
				// on the command line does.
				// (A name no archive defines needs no library look-up here: bind finds
				// its definition. CPython's ~500 libc functions were each looked up in
				// every shared library on the resolver's serial path, for nothing.)
				hit, inArchive := r.d.archIndex.get(name)
				if inArchive {
					for _, lib := range r.d.libs[:hit.lib] {
						if lib.shared != nil {
							if _, ok := lib.shared.elf.Lookup(base, ver); ok {
								inArchive = false
								break
							}
						}
					}
				}
				if inArchive {
					if lib := r.d.libs[hit.lib]; !lib.pulled[hit.member] {
						lib.pulled[hit.member] = true
						wave = append(wave, pull{int(hit.lib), int(hit.member)})
					}
				}
				continue
			}
			for li, lib := range r.d.libs {
				if lib.shared != nil {
					if _, ok := lib.shared.elf.Lookup(base, ver); ok {
						break
					}
					continue
				}
				if ver != "" {
					continue
				}
				if lib.index == nil && lib.ar.HasIndex {
					lib.index = archiveIndex(lib.ar)
					lib.file.index = lib.index
				} else if lib.index == nil {
					if err := lib.indexMembers(); err != nil {
						return err
					}
				}
				if m, ok := lib.index[name]; ok {
					if !lib.pulled[m] {
						lib.pulled[m] = true
						wave = append(wave, pull{li, m})
					}
					break
				}
			}
		}
		slots := make([]*parseSlot, len(wave))
		for i, p := range wave {
			slots[i] = r.pool.member(p.lib, p.m)
		}
		if err := r.pool.parseAndAdd(slots, r.add); err != nil {
			return err
		}
	}
	return nil
}

// bind points every global symbol of every graph at its definition: one in the link, a
// shared library's, one jitrun provides, or (for weak references) absolute zero. All
// undefined references are reported together, the way ld reports them.
func (d *Dylib) bind() error {
	l := d.link
	var undef []*jitlink.Symbol
	// Most symbols bind to a definition in the link: that is looked up in parallel (the
	// table is only read); the others go through the lookups below in order.
	rest := make([][]int32, len(d.graphs))
	commons := make([][]*jitlink.Symbol, len(d.graphs))
	jitlink.Parallel(len(d.graphs), func(gi int) {
		g := d.graphs[gi]
		for i := g.FirstGlobal; i < len(g.Symbols); i++ {
			s := g.Symbols[i]
			if s == nil || s.Binding == jitlink.Local {
				continue
			}
			if isDefinition(s) && s.Res == s { // the winner (resolver.add marked it)
				if s.Def == jitlink.Common {
					commons[gi] = append(commons[gi], s)
				}
				continue
			}
			if s.Version() == "" {
				if def := d.defs[s.Name]; def != nil {
					s.Res = def
					continue
				}
			}
			rest[gi] = append(rest[gi], int32(i))
		}
	})
	// The rest are references to a few hundred names (clang: 35,000 references to 500
	// library functions): each name is looked up once, in the order it is first needed.
	type nameVer struct{ name, version string }
	found := map[nameVer]*jitlink.Symbol{}
	for gi, g := range d.graphs {
		for _, i := range rest[gi] {
			s := g.Symbols[i]
			k := nameVer{s.Name, s.Version()}
			t, ok := found[k]
			if !ok {
				var err error
				if t, err = d.lookupOutside(s.Name, s.Version()); err != nil {
					return err
				}
				found[k] = t
			}
			switch {
			case t != nil:
				s.Res = t
			case s.Binding == jitlink.Weak:
				s.Res = l.Zero
			default:
				s.Res = nil
				undef = append(undef, s)
			}
		}
	}
	// Commons that won are allocated by the layout, in name order.
	var won []*jitlink.Symbol
	for _, c := range commons {
		won = append(won, c...)
	}
	sort.Slice(won, func(i, j int) bool { return won[i].Name < won[j].Name })
	for _, c := range won {
		l.AddCommon(c)
	}
	if len(undef) > 0 {
		return d.undefinedError(undef)
	}
	return nil
}

// lookupOutside finds a definition of name outside the link's graphs: one the linker
// defines, one of another JIT'd dylib, one of a shared library; nil if none.
func (d *Dylib) lookupOutside(name, version string) (*jitlink.Symbol, error) {
	if t := d.lookupSpecial(name); t != nil {
		return t, nil
	}
	if t := d.s.lookupGlobalJIT(d, name, version); t != nil {
		return t, nil
	}
	return d.lookupExternal(name, version)
}

// undefinedError lists each reference to an undefined symbol as ld does: the object, the
// function containing the reference, the section and offset.
func (d *Dylib) undefinedError(undef []*jitlink.Symbol) error {
	if d != d.s.main && len(undef) > 0 {
		// A dylib loaded by dlopen fails as ld.so reports it (programs look for this
		// text in dlerror()): the first symbol nothing defines.
		return fmt.Errorf("%s: undefined symbol: %s", d.Name, undef[0].Name)
	}
	bad := map[*jitlink.Symbol]bool{}
	for _, s := range undef {
		bad[s] = true
	}
	var errs []error
	seen := map[string]bool{}
	for _, g := range d.graphs {
		for _, sec := range g.Sections {
			if sec == nil || sec.Discard || sec.Kind == jitlink.KindNonAlloc {
				continue
			}
			for k, ne := 0, sec.NumEdges(); k < ne; k++ {
				e := sec.Edge(k)
				s := g.Symbols[e.Target]
				if !bad[s] {
					continue
				}
				fn := g.FuncContaining(sec, e.Offset)
				key := g.Name + "\x00" + fn + "\x00" + s.Name
				if seen[key] {
					continue
				}
				seen[key] = true
				name := s.Name
				if s.Version() != "" {
					name += "@" + s.Version()
				}
				in := ""
				if fn != "" {
					in = fmt.Sprintf(" in function `%s':", fn)
				}
				errs = append(errs, fmt.Errorf("%s:%s (%s+%#x): undefined reference to `%s'", g.Name, in, sec.Name, e.Offset, name))
			}
		}
	}
	for _, s := range undef { // referenced only from non-loaded sections, or not at all
		key := s.Graph.Name + "\x00\x00" + s.Name
		found := false
		for k := range seen {
			if strings.HasPrefix(k, s.Graph.Name+"\x00") && strings.HasSuffix(k, "\x00"+s.Name) {
				found = true
				break
			}
		}
		if !found && !seen[key] {
			seen[key] = true
			errs = append(errs, fmt.Errorf("%s: undefined reference to `%s'", s.Graph.Name, s.Name))
		}
	}
	return jitlink.MultiError(errs)
}

// lookupSpecial resolves names the linker itself defines.
func (d *Dylib) lookupSpecial(name string) *jitlink.Symbol {
	if t := d.synth[name]; t != nil {
		return t
	}
	mk := func() *jitlink.Symbol {
		t := &jitlink.Symbol{Name: name, Def: jitlink.Synthetic, Binding: jitlink.Global, Type: jitlink.Object}
		t.Res = t
		d.synth[name] = t
		return t
	}
	switch {
	case name == "__dso_handle":
		d.synth[name] = d.link.DSOHandle
		return d.link.DSOHandle
	case name == "_GLOBAL_OFFSET_TABLE_":
		d.link.NeedGOTBase = true
		return mk()
	case name == "_TLS_MODULE_BASE_":
		// The start of this link's TLS block (offset 0), which TLS descriptors of
		// local-dynamic code refer to.
		t := mk()
		t.Type = jitlink.TLS
		return t
	case name == "_end", name == "end", name == "_edata", name == "edata", name == "etext",
		name == "_etext", name == "__etext", name == "__executable_start", name == "__ehdr_start",
		name == "__bss_start":
		return mk()
	case strings.HasPrefix(name, "__start_") || strings.HasPrefix(name, "__stop_"):
		sec := strings.TrimPrefix(strings.TrimPrefix(name, "__start_"), "__stop_")
		for _, g := range d.graphs {
			for _, s := range g.Sections {
				if s != nil && !s.Discard && s.Name == sec && s.Kind.Perm() != jitlink.PermNone {
					return mk()
				}
			}
		}
	}
	return nil
}

// placeSynthetics gives linker-defined symbols their addresses once the layout is known.
func (d *Dylib) placeSynthetics() {
	l := d.link
	seg := func(p jitlink.Perm) jitlink.Segment {
		for _, s := range l.Segments {
			if s.Perm == p {
				return s
			}
		}
		return jitlink.Segment{}
	}
	for name, t := range d.synth {
		switch {
		case name == "__dso_handle":
		case name == "_GLOBAL_OFFSET_TABLE_":
			t.Addr = l.GOTBase
		case name == "_end" || name == "end":
			z := seg(jitlink.PermRWZero)
			t.Addr = z.Addr + z.Size
		case name == "_edata" || name == "edata" || name == "__bss_start":
			t.Addr = seg(jitlink.PermRWZero).Addr
		case name == "etext" || name == "_etext" || name == "__etext":
			x := seg(jitlink.PermRX)
			t.Addr = x.Addr + x.Size
		case name == "__executable_start" || name == "__ehdr_start":
			t.Addr = seg(jitlink.PermRX).Addr
		case strings.HasPrefix(name, "__start_"):
			t.Addr, _, _ = l.StartStop(strings.TrimPrefix(name, "__start_"))
		case strings.HasPrefix(name, "__stop_"):
			_, t.Addr, _ = l.StartStop(strings.TrimPrefix(name, "__stop_"))
		}
	}
}

// extRef is where an external symbol comes from, until its library is loaded.
type extRef struct {
	lib *sharedLib
	es  linux.ExtSym
}

// lookupExternal resolves a name against the dylib's shared libraries in command-line order,
// from their symbol tables: nothing is loaded yet (see loadLibraries). Its address is known
// now only for what jitrun itself provides (the host's copies of libc variables, the
// signal and dlsym wrappers).
func (d *Dylib) lookupExternal(name, version string) (*jitlink.Symbol, error) {
	key := name
	if version != "" {
		key += "@" + version
	}
	if t, ok := d.exts[key]; ok {
		return t, nil
	}
	for _, lib := range d.libs {
		sl := lib.shared
		if sl == nil {
			continue
		}
		es, ok := sl.elf.Lookup(name, version)
		if !ok {
			continue
		}
		t := &jitlink.Symbol{Name: name, Def: jitlink.External, Binding: jitlink.Global,
			Type: es.Type, Size: es.Size, Value: es.Value}
		x := t.Extra()
		x.Version, x.Lib = version, sl.path
		t.Res = t
		if es.Type == jitlink.IFunc {
			t.Type = jitlink.Func
		}
		if es.Type == jitlink.TLS {
			t.Addr = es.Value // the offset in the library's TLS block
		}
		if sl.elf.Soname == "libc.so.6" {
			if a := dlemu.Symbol(name); a != 0 {
				t.Addr, t.Target = a, a // the dynamic-loader API, JIT'd dylibs included
			} else if a := linux.RuntimeSymbol(name); a != 0 {
				t.Addr, t.Target = a, a
			} else if a := linux.HostVar(name); a != 0 {
				t.Addr, t.Target = a, a
			}
		}
		if d.extRefs == nil {
			d.extRefs = map[*jitlink.Symbol]extRef{}
		}
		d.extRefs[t] = extRef{sl, es}
		d.exts[key] = t
		return t, nil
	}
	d.exts[key] = nil
	return nil, nil
}

// loadLibraries loads the dylib's shared libraries with the dynamic loader: first those that
// are not as-needed, in command-line order, as ld.so loads an executable's DT_NEEDED
// libraries (their initializers run before the program's), then as-needed ones something
// binds to. Then every external symbol gets its address.
func (d *Dylib) loadLibraries() error {
	for _, lib := range d.libs {
		if lib.shared != nil && !lib.shared.asNeeded {
			if _, err := lib.shared.load(); err != nil {
				return err
			}
		}
	}
	for t, ref := range d.extRefs {
		if t.Target != 0 {
			continue // provided by jitrun itself
		}
		h, err := ref.lib.load()
		if err != nil {
			return err
		}
		if ref.es.Type == jitlink.TLS {
			modid, tpoff, ok := h.TLSInfo()
			if !ok {
				return fmt.Errorf("%s: thread-local symbol `%s' but no TLS module", ref.lib.path, t.Name)
			}
			t.Extra().TLSModule, t.Target = modid, uint64(tpoff)
			if t.NeedsGOTTP && tpoff == 0 {
				return fmt.Errorf("initial-exec access to thread-local `%s' of %s, whose TLS is not static", t.Name, ref.lib.path)
			}
			continue
		}
		addr := ref.es.Value
		if !ref.es.Abs {
			addr += h.Base
		}
		if ref.es.Type == jitlink.IFunc {
			// Only the loader knows which implementation the resolver selects.
			if a := h.Sym(t.Name, t.Version()); a != 0 {
				addr = a
			}
		}
		t.Target = addr
		if !t.NeedsStub && !t.NeedsCopy {
			t.Addr = addr
		}
	}
	return nil
}

// registerTLS fixes up the dylib's .tdata image and registers its TLS block with the C
// library, which gives it a module id (and a static %fs offset when initial- or local-exec
// code needs one); only then can the code that refers to thread-locals be fixed up.
func (d *Dylib) registerTLS() error {
	l := d.link
	if l.TLS.Size == 0 {
		return nil
	}
	if err := l.ApplyTLSTemplateFixups(); err != nil {
		return err
	}
	lib, modid, tpoff, err := linux.RegisterTLS("jitrun-tls-"+d.Name, l.TLSImage(), l.TLS.Size, l.TLS.Align, l.TLS.Static)
	if err != nil {
		return err
	}
	l.TLS.ModID, l.TLS.TPOff = modid, tpoff
	d.dl.tlsLib = lib
	return nil
}

// export makes the dylib's global definitions visible to precompiled libraries loaded
// afterwards (as an executable linked with --export-dynamic): a CPython extension module
// binds PyLong_FromLong to the JIT'd interpreter.
func (d *Dylib) export() error {
	if d != d.s.main && !d.dl.global {
		return nil // an RTLD_LOCAL dylib's symbols bind nothing else
	}
	// Every definition a name resolves to (d.defs's values: s.Res == s), in the graphs'
	// order: deterministic without sorting (or iterating a map of) 100,000s of names.
	// The graphs are read in parallel, each into its own list.
	parts := make([][]linux.Export, len(d.graphs))
	jitlink.Parallel(len(d.graphs), func(gi int) {
		g := d.graphs[gi]
		var part []linux.Export
		for i := g.FirstGlobal; i < len(g.Symbols); i++ {
			s := g.Symbols[i]
			if s == nil || s.Binding == jitlink.Local || s.Res != s || !isDefinition(s) {
				continue
			}
			if s.Visibility == jitlink.Hidden || s.Visibility == jitlink.Internal {
				continue
			}
			if s.Type == jitlink.TLS || s.Type == jitlink.SectionSym {
				continue
			}
			part = append(part, linux.Export{Name: s.Name, Addr: s.Addr, Size: s.Size,
				Func: s.Type == jitlink.Func || s.Type == jitlink.IFunc})
		}
		parts[gi] = part
	})
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	exps := make([]linux.Export, 0, n)
	for _, p := range parts {
		exps = append(exps, p...)
	}
	lib, err := linux.ExportSymbols("jitrun-"+d.Name, exps)
	if err != nil {
		return err
	}
	d.dl.exportLib = lib
	return nil
}

// ensureStaticTLS makes sure the process can give this link the static TLS its initial- and
// local-exec accesses need (its own block, and the blocks of shared libraries it reaches
// with initial exec, which must have been loaded at start-up). glibc lays static TLS out at
// start-up, so before anything has run jitrun starts itself again in a process that has it
// (a larger surplus, a thread pointer aligned enough, the libraries preloaded).
func (d *Dylib) ensureStaticTLS() error {
	l := d.link
	var n linux.StaticTLSNeeds
	if l.TLS.Static && l.TLS.Size > 0 {
		n.Align = l.TLS.Align
		n.Bytes = (l.TLS.Size+l.TLS.Align-1)&^(l.TLS.Align-1) + l.TLS.Align
	}
	seen := map[string]bool{}
	for t, ref := range d.extRefs {
		if p := absPath(ref.lib.path); ref.es.Type == jitlink.TLS && t.NeedsGOTTP && !seen[p] && !linux.LoadedAtStartup(p) {
			seen[p] = true
			n.Preload = append(n.Preload, p)
		}
	}
	sort.Strings(n.Preload)
	if n.Bytes == 0 && len(n.Preload) == 0 || linux.CheckStaticTLS(n) {
		return nil
	}
	if d != d.s.main || d.s.started {
		return fmt.Errorf("%s: needs %d bytes of static TLS (aligned to %d) or libraries loaded at start-up (%s), which a running program cannot get; build it with -ftls-model=global-dynamic",
			d.Name, n.Bytes, n.Align, strings.Join(n.Preload, ", "))
	}
	if err := linux.ReexecForStaticTLS(n); err != nil {
		return fmt.Errorf("%s: %v", d.Name, err)
	}
	return nil
}
