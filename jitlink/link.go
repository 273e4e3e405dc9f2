package jitlink

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Arch is one instruction set's fixup knowledge.
type Arch interface {
	// Scan returns what edge e (whose resolved target is t) needs from the link: a GOT
	// entry, a stub, a copy, the GOT base. It may relax e in place, but changes nothing
	// else: graphs are scanned in parallel, and the link records the needs.
	Scan(l *Link, sec *Section, e *Edge, t *Symbol) (Needs, error)
	// Apply writes the fixup into mem, the section's loaded bytes.
	Apply(l *Link, sec *Section, mem []byte, e *Edge, t *Symbol) error
	// StubSize is the size of one stub.
	StubSize() uint64
	// WriteStub writes a stub at stubAddr that jumps through the pointer at slotAddr.
	WriteStub(mem []byte, stubAddr, slotAddr uint64)
	// InitCodePrologue and InitCodeEpilogue wrap concatenated .init/.fini fragments into a
	// callable function.
	InitCodePrologue() []byte
	InitCodeEpilogue() []byte
	// KindName names an edge kind.
	KindName(kind uint16) string
}

// Memory gives a link its address space: Alloc maps size bytes read-write at an address every
// fixup kind can reach and returns the address and a writable view.
type Memory interface {
	Alloc(size uint64) (addr uint64, mem []byte, err error)
	Protect(addr, size uint64, p Perm) error
}

// SegmentMemory is a Memory that can also give each permission group of a link an
// allocation of its own (Link.Separate): next to the same group of earlier links, so that
// the kernel merges their pages into one mapping once they have the same permission.
type SegmentMemory interface {
	Memory
	// AllocSegment maps size bytes read-write for a segment of permission p.
	AllocSegment(p Perm, size uint64) (addr uint64, mem []byte, err error)
}

// Segment is one permission group of a link's memory.
type Segment struct {
	Perm       Perm
	Addr, Size uint64
}

// Link is one link batch: a set of graphs laid out, fixed up and finalised together.
type Link struct {
	Name   string
	Arch   Arch
	Graphs []*Graph
	// edgeOrder: the graphs' indices, most relocations first (byEdges).
	edgeOrder []int32
	// liveSecs and liveEdges count each graph's loaded sections and their edges (sizes).
	liveSecs, liveEdges []int32
	// Separate lays each permission group out in an allocation of its own (the Memory
	// must be a SegmentMemory), not the whole link in one: for many small links (lazy
	// batches), whose one-allocation layouts would each add a mapping per permission.
	Separate bool
	// RelocName names an edge's original relocation type for messages.
	RelocName func(uint16) string
	// Direct, if set, says which edges to a symbol with a SymExtra.Code reach that code
	// instead of the symbol (lazy linking: direct calls go to a function's code, its
	// address is its stub).
	Direct func(kind uint16, addend int64) bool

	GOT []GOTEntry
	// TLSDescDynamic is the resolver of dynamic TLS descriptors: given the descriptor in
	// %rax it returns the variable's offset from the thread pointer, preserving every other
	// register (the platform provides it).
	TLSDescDynamic         uint64
	Stubs, Copies, Commons []*Symbol
	NeedGOTBase            bool
	TLS                    TLSBlock

	GOTBase, StubBase, SlotBase uint64
	Segments                    []Segment
	EHFrame                     uint64 // address of the registered .eh_frame (0 if none)
	EHFrameSize                 uint64 // its size, including the zero terminator
	EHFrameHdr                  uint64 // address of the .eh_frame_hdr (PT_GNU_EH_FRAME; 0 if none)
	EHFrameHdrSize              uint64 // its size, once filled
	InitCode, FiniCode          uint64 // wrapped .init/.fini fragments (0 if none)
	DSOHandle                   *Symbol

	// Zero is the absolute-zero definition unresolved weak references bind to.
	Zero *Symbol

	preinit, inits, finis []*Section
	base                  uint64 // the one allocation (the lowest segment's, if Separate)
	mem                   []byte
	segs                  [PermRWZero + 1]segMem
	initFrags, finiFrags  []*Section
	initCodeSize          uint64
	startStop             map[string][2]uint64 // section name -> [start, end)
	ehHdrCap              int                  // FDE entries reserved in .eh_frame_hdr
	ehSecs                []*Section           // the .eh_frame input sections, in place order
	ehFDEs                []int                // FDE records of each of ehSecs
}

// GOTKind says what a GOT entry holds.
type GOTKind uint8

// GOT entry kinds.
const (
	GOTAddr       GOTKind = iota // the symbol's address
	GOTTPOff                     // the symbol's offset from the thread pointer (initial exec)
	GOTModule                    // the TLS module id of the symbol's block (first of a GD/LD pair)
	GOTDTPOff                    // the symbol's offset in its TLS block (second of a GD pair)
	GOTZero                      // zero (second of the LD pair)
	GOTTLSDescFn                 // a dynamic TLS descriptor's resolver
	GOTTLSDescArg                // a dynamic TLS descriptor's argument: the symbol's GD pair
)

// GOTEntry is one 8-byte GOT slot.
type GOTEntry struct {
	Sym  *Symbol
	Kind GOTKind
}

// TLSBlock is a link's thread-local storage: the .tdata image followed by .tbss, registered
// with the C library as one TLS module.
type TLSBlock struct {
	Size, Align, InitSize uint64
	Template              uint64 // address of the relocated .tdata image in JIT'd memory
	Static                bool   // some access needs a fixed %fs offset (initial/local exec)
	NeedLD                bool   // a local-dynamic GOT pair is needed
	LDIndex               int32
	ModID                 uint64 // module id, once registered
	TPOff                 int64  // block start relative to the thread pointer, if Static
	sections              []*Section
}

// TPOff returns the thread-pointer offset of a thread-local symbol.
func (l *Link) TPOff(t *Symbol) uint64 {
	if t.Def == External {
		return t.Target + t.Addr // the library block's offset plus the variable's
	}
	return uint64(l.TLS.TPOff) + t.Addr
}

// Module returns the TLS module id of a thread-local symbol.
func (l *Link) Module(t *Symbol) uint64 {
	if t.Def == External {
		return t.TLSModule()
	}
	return l.TLS.ModID
}

// NewLink starts a link batch.
func NewLink(name string, arch Arch, graphs []*Graph) *Link {
	l := &Link{Name: name, Arch: arch, Graphs: graphs}
	l.Zero = &Symbol{Name: "*ABS*0", Def: Absolute, Binding: Global}
	l.Zero.Res = l.Zero
	l.DSOHandle = &Symbol{Name: "__dso_handle", Def: Synthetic, Binding: Global, Visibility: Hidden, Type: Object, Size: 8}
	l.DSOHandle.Res = l.DSOHandle
	return l
}

// LinkError is a fixup-time error naming the object, section, offset, relocation and symbol.
type LinkError struct {
	Graph   string
	Section string
	Offset  uint64
	Reloc   string
	Symbol  string
	Msg     string
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s: section %s offset %#x: %s against `%s': %s", e.Graph, e.Section, e.Offset, e.Reloc, e.Symbol, e.Msg)
}

// EdgeError builds a LinkError for edge e of sec.
func (l *Link) EdgeError(sec *Section, e *Edge, msg string) error {
	name := ""
	if int(e.Target) < len(sec.Graph.Symbols) && sec.Graph.Symbols[e.Target] != nil {
		name = sec.Graph.Symbols[e.Target].Name
	}
	rn := l.Arch.KindName(e.Kind)
	if l.RelocName != nil {
		rn = l.RelocName(e.Type)
	}
	return &LinkError{Graph: sec.Graph.Name, Section: sec.Name, Offset: e.Offset, Reloc: rn, Symbol: name, Msg: msg}
}

// The lists Layout sorts the live sections into (classify).
const (
	catTLS = iota
	catEH
	catInit
	catFini
	catPreinit
	catInitCode
	catFiniCode
	catGroup                                   // + Perm: placed in input order
	catCIdent = catGroup + int(PermRWZero) + 1 // + Perm: named like C identifiers (__start_/__stop_)
	numCats   = catCIdent + int(PermRWZero) + 1
	catNone   = 255
)

// sectionCat returns the list sec goes to (catNone if it is not laid out).
func sectionCat(sec *Section) uint8 {
	if !live(sec) {
		return catNone
	}
	switch sec.Kind {
	case KindTLSData, KindTLSZeroFill:
		return catTLS
	case KindEHFrame:
		return catEH
	case KindInitArray, KindCtors:
		return catInit
	case KindFiniArray, KindDtors:
		return catFini
	case KindPreinitArray:
		return catPreinit
	case KindInitCode:
		return catInitCode
	case KindFiniCode:
		return catFiniCode
	}
	if IsCIdent(sec.Name) {
		return uint8(catCIdent + int(sec.Kind.Perm()))
	}
	return uint8(catGroup + int(sec.Kind.Perm()))
}

// classify sorts the live sections into Layout's lists, in input order, on all cores: each
// graph's sections are classified and counted, then written at their graph's place in
// lists sized exactly (one pass over clang's 265,000 sections, each a cache miss, took
// 13 ms on one core; grown by doubling, the lists left ~50 MB of garbage behind, every page
// of it a fault on fresh heap, the collector being off).
func (l *Link) classify() [numCats][]*Section {
	n := len(l.Graphs)
	base := make([]int, n+1)
	for i, g := range l.Graphs {
		base[i+1] = base[i] + len(g.Sections)
	}
	cats := make([]uint8, base[n])
	counts := make([][numCats]int32, n)
	parallel(n, func(i int) {
		c := &counts[i]
		for j, sec := range l.Graphs[i].Sections {
			k := sectionCat(sec)
			cats[base[i]+j] = k
			if k != catNone {
				c[k]++
			}
		}
	})
	var total [numCats]int32
	for i := range counts { // counts become each graph's first index in each list
		for k := range total {
			total[k], counts[i][k] = total[k]+counts[i][k], total[k]
		}
	}
	var lists [numCats][]*Section
	for k := range lists {
		if total[k] > 0 {
			lists[k] = make([]*Section, total[k])
		}
	}
	parallel(n, func(i int) {
		at := &counts[i]
		for j, sec := range l.Graphs[i].Sections {
			if k := cats[base[i]+j]; k != catNone {
				lists[k][at[k]] = sec
				at[k]++
			}
		}
	})
	return lists
}

// live reports whether a section is loaded.
func live(s *Section) bool {
	return s != nil && !s.Discard && (s.Kind.Perm() != PermNone || s.Kind == KindTLSData || s.Kind == KindTLSZeroFill)
}

// target returns the resolved definition an edge refers to: for an edge Direct accepts, the
// definition's code (SymExtra.Code) where it has one.
func (g *Graph) target(e *Edge, l *Link) *Symbol {
	r := g.Symbols[e.Target].Res
	if r == nil {
		return l.Zero
	}
	if l.Direct != nil && r.X != nil && r.X.Code != nil && l.Direct(e.Kind, e.Addend) { // (r.X: another cache line)
		return r.X.Code
	}
	return r
}

// Needs is what an edge needs from the link, for its target or for the whole link.
type Needs uint16

// The needs an arch scan reports.
const (
	NeedGOT       Needs = 1 << iota // a GOT entry holding the target's address
	NeedStub                        // a stub jumping to the target (external or IFUNC)
	NeedCopy                        // a copy of external data in JIT'd memory
	NeedTLSGD                       // a GOT pair {module, offset} for general-dynamic access
	NeedGOTTP                       // a GOT entry holding the target's %fs offset
	NeedTLSDesc                     // a TLS descriptor (dynamic, or relaxed to initial exec)
	NeedGOTBase                     // the link needs _GLOBAL_OFFSET_TABLE_'s address
	NeedTLSLD                       // the link needs its {module, 0} GOT pair (local dynamic)
	NeedStaticTLS                   // the link's TLS block must be static (initial/local exec)

	symbolNeeds = NeedGOT | NeedStub | NeedCopy | NeedTLSGD | NeedGOTTP | NeedTLSDesc
)

// needRec is one edge's needs for its target, recorded by a scan worker.
type needRec struct {
	t *Symbol
	n Needs
}

// Scan runs the arch scan over every edge of every loaded section, in parallel over graphs,
// and numbers the GOT entries, stubs, copies and commons the link needs, in the order of
// the graphs and their edges (so the same inputs give the same image).
func (l *Link) Scan() error {
	recs := make([][]needRec, len(l.Graphs))
	errs := make([][]error, len(l.Graphs))
	linkNeeds := make([]Needs, len(l.Graphs))
	order := l.byEdges()
	parallel(len(order), func(oi int) {
		i := int(order[oi])
		g := l.Graphs[i]
		var rs []needRec
		var ln Needs
		bp := edgeBufs.Get().(*[]Edge)
		defer edgeBufs.Put(bp)
		buf := *bp
		for _, sec := range g.Sections {
			if !live(sec) {
				continue
			}
			for k, ne := 0, sec.NumEdges(); k < ne; {
				blk := sec.EdgeBlock(k, buf)
				k += len(blk)
				for bi := range blk {
					e := &blk[bi]
					t := g.target(e, l)
					n, err := l.Arch.Scan(l, sec, e, t)
					if err != nil {
						errs[i] = append(errs[i], err)
					}
					if n&symbolNeeds != 0 {
						// Consecutive edges to one target (a function's calls to memcpy)
						// are recorded once.
						if len(rs) > 0 && rs[len(rs)-1].t == t {
							rs[len(rs)-1].n |= n & symbolNeeds
						} else {
							rs = append(rs, needRec{t, n & symbolNeeds})
						}
					}
					ln |= n &^ symbolNeeds
				}
			}
		}
		recs[i], linkNeeds[i] = rs, ln
	})
	var all []error
	for _, e := range errs {
		all = append(all, e...)
	}
	if len(all) > 0 {
		return joinErrors(all)
	}
	for i, rs := range recs {
		ln := linkNeeds[i]
		l.NeedGOTBase = l.NeedGOTBase || ln&NeedGOTBase != 0
		l.TLS.NeedLD = l.TLS.NeedLD || ln&NeedTLSLD != 0
		l.TLS.Static = l.TLS.Static || ln&NeedStaticTLS != 0
		for _, r := range rs {
			t := r.t
			t.NeedsGOT = t.NeedsGOT || r.n&NeedGOT != 0
			t.NeedsStub = t.NeedsStub || r.n&NeedStub != 0
			t.NeedsCopy = t.NeedsCopy || r.n&NeedCopy != 0
			t.NeedsTLSGD = t.NeedsTLSGD || r.n&NeedTLSGD != 0
			t.NeedsGOTTP = t.NeedsGOTTP || r.n&NeedGOTTP != 0
			t.NeedsTLSDesc = t.NeedsTLSDesc || r.n&NeedTLSDesc != 0
		}
	}
	for _, rs := range recs {
		for _, r := range rs {
			if t := r.t; !t.numbered {
				t.numbered = true
				l.number(t)
			}
		}
	}
	l.TLS.LDIndex = -1
	if l.TLS.NeedLD {
		l.TLS.LDIndex = int32(len(l.GOT))
		l.GOT = append(l.GOT, GOTEntry{nil, GOTModule}, GOTEntry{nil, GOTZero})
	}
	return nil
}

func (l *Link) number(t *Symbol) {
	t.GOTIndex, t.StubIndex = -1, -1
	if t.X != nil {
		t.X.TLSGDIndex, t.X.GOTTPIndex, t.X.TLSDescIndex = -1, -1, -1
	}
	if t.NeedsTLSDesc {
		if t.Def != External && l.TLS.Static {
			t.TLSDescIE, t.NeedsGOTTP = true, true
		} else {
			// {resolver, argument}: the argument is the symbol's {module, offset} pair.
			t.NeedsTLSGD = true
			t.Extra().TLSDescIndex = int32(len(l.GOT))
			l.GOT = append(l.GOT, GOTEntry{t, GOTTLSDescFn}, GOTEntry{t, GOTTLSDescArg})
		}
	}
	if t.NeedsGOT {
		t.GOTIndex = int32(len(l.GOT))
		l.GOT = append(l.GOT, GOTEntry{t, GOTAddr})
	}
	if t.NeedsTLSGD {
		t.Extra().TLSGDIndex = int32(len(l.GOT))
		l.GOT = append(l.GOT, GOTEntry{t, GOTModule}, GOTEntry{t, GOTDTPOff})
	}
	if t.NeedsGOTTP {
		t.Extra().GOTTPIndex = int32(len(l.GOT))
		l.GOT = append(l.GOT, GOTEntry{t, GOTTPOff})
	}
	if t.NeedsStub {
		t.StubIndex = int32(len(l.Stubs))
		l.Stubs = append(l.Stubs, t)
	}
	if t.NeedsCopy {
		l.Copies = append(l.Copies, t)
	}
}

// AddCommon records a winning tentative definition to be allocated in zero-fill memory.
func (l *Link) AddCommon(s *Symbol) { l.Commons = append(l.Commons, s) }

type placed struct {
	sec  *Section
	off  uint64
	size uint64
	perm Perm
}

// segMem is where one permission group went: layout offsets [off, off+size) are at addr.
type segMem struct {
	off, size, addr uint64
	mem             []byte
}

// at returns the address of layout offset off in permission group p.
func (l *Link) at(p Perm, off uint64) uint64 { return l.segs[p].addr + off - l.segs[p].off }

func alignUp(v, a uint64) uint64 {
	if a <= 1 {
		return v
	}
	return (v + a - 1) &^ (a - 1)
}

const pageSize = 4096

// IsCIdent reports whether a section name can be reached through __start_/__stop_ symbols.
func IsCIdent(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// initOrder sorts init/fini input sections the way GNU ld's default script places them:
// SORT_BY_INIT_PRIORITY over the suffixed sections, then the unsuffixed ones in input order.
func initOrder(secs []*Section) {
	suffixed := func(s *Section) bool {
		return s.Name != ".init_array" && s.Name != ".fini_array" && s.Name != ".ctors" && s.Name != ".dtors" && s.Name != ".preinit_array"
	}
	sort.SliceStable(secs, func(i, j int) bool {
		a, b := suffixed(secs[i]), suffixed(secs[j])
		if a != b {
			return a
		}
		if a {
			return secs[i].Priority < secs[j].Priority
		}
		return false
	})
}

// Layout places every loaded section and linker-made table, grouped by permission, in one
// allocation from mem, and assigns every symbol its address.
func (l *Link) Layout(mem Memory) error {
	lists := l.classify()
	var groups, cident [PermRWZero + 1][]*Section
	for p := range groups {
		groups[p], cident[p] = lists[catGroup+p], lists[catCIdent+p]
	}
	nPlaced := 0 // room in places for every section (those placed elsewhere included)
	for _, list := range lists {
		nPlaced += len(list)
	}
	eh := lists[catEH]
	l.TLS.sections = append(l.TLS.sections, lists[catTLS]...)
	l.inits = append(l.inits, lists[catInit]...)
	l.finis = append(l.finis, lists[catFini]...)
	l.preinit = append(l.preinit, lists[catPreinit]...)
	l.initFrags = append(l.initFrags, lists[catInitCode]...)
	l.finiFrags = append(l.finiFrags, lists[catFiniCode]...)
	initOrder(l.inits)
	initOrder(l.finis)
	l.layoutTLS()
	for p := range cident {
		sort.SliceStable(cident[p], func(i, j int) bool { return cident[p][i].Name < cident[p][j].Name })
	}

	// Offsets are first computed from 0; the segments follow each other page-aligned.
	var off uint64
	places := make([]placed, 0, nPlaced+8)
	var cur Perm
	put := func(s *Section) {
		off = alignUp(off, s.Align)
		places = append(places, placed{s, off, s.Size, cur})
		s.Addr = off // relative for now
		off += s.Size
	}
	type blob struct{ off, size uint64 }
	var segStart [PermRWZero + 1]uint64
	var stubs, slots, got, ehTerm, ehHdr, initCode, finiCode, dso, tlsTemplate blob
	var copyOffs, commonOffs []uint64
	for p := PermRX; p <= PermRWZero; p++ {
		cur = p
		off = alignUp(off, pageSize)
		segStart[p] = off
		for _, s := range groups[p] {
			put(s)
		}
		for _, s := range cident[p] {
			put(s)
		}
		switch p {
		case PermRX:
			off = alignUp(off, 16)
			stubs = blob{off, uint64(len(l.Stubs)) * l.Arch.StubSize()}
			off += stubs.size
			if len(l.initFrags) > 0 {
				initCode, off = l.placeFrags(l.initFrags, off, put)
			}
			if len(l.finiFrags) > 0 {
				finiCode, off = l.placeFrags(l.finiFrags, off, put)
			}
		case PermR:
			if l.TLS.InitSize > 0 {
				off = alignUp(off, l.TLS.Align)
				tlsTemplate = blob{off, l.TLS.InitSize}
				off += l.TLS.InitSize
			}
			for _, s := range eh {
				put(s)
			}
			if len(eh) > 0 {
				off = alignUp(off, 4)
				ehTerm = blob{off, 4}
				off += 4
				l.ehSecs = eh
				l.ehFDEs, l.ehHdrCap = countFDEs(eh)
				ehHdr = blob{off, ehHdrHeader + 8*uint64(l.ehHdrCap)}
				off += ehHdr.size
			}
		case PermRelro:
			off = alignUp(off, 8)
			got = blob{off, uint64(len(l.GOT)) * 8}
			off += got.size
			slots = blob{off, uint64(len(l.Stubs)) * 8}
			off += slots.size
			dso = blob{off, 8}
			off += 8
			for _, list := range [][]*Section{l.preinit, l.inits, l.finis} {
				for _, s := range list {
					put(s)
				}
			}
		case PermRW:
			// One copy per variable: aliases (signgam and __signgam: one library, one
			// value) share it.
			type varKey struct {
				lib   string
				value uint64
			}
			byVar := map[varKey]uint64{}
			for _, c := range l.Copies {
				k := varKey{c.Lib(), c.Value}
				if o, ok := byVar[k]; ok {
					copyOffs = append(copyOffs, o)
					continue
				}
				off = alignUp(off, copyAlign(c.Size))
				byVar[k] = off
				copyOffs = append(copyOffs, off)
				off += c.Size
			}
		case PermRWZero:
			for _, c := range l.Commons {
				off = alignUp(off, c.Value)
				commonOffs = append(commonOffs, off)
				off += c.Size
			}
		}
	}
	total := alignUp(off, pageSize)
	if total == 0 {
		total = pageSize
	}
	if err := l.allocate(mem, total, segStart); err != nil {
		return fmt.Errorf("%s: %w", l.Name, err)
	}
	l.fill(mem, places, segStart[PermRWZero])
	for p := PermRX; p <= PermRWZero; p++ {
		l.Segments = append(l.Segments, Segment{Perm: p, Addr: l.segs[p].addr, Size: l.segs[p].size})
	}
	l.StubBase, l.SlotBase, l.GOTBase = l.at(PermRX, stubs.off), l.at(PermRelro, slots.off), l.at(PermRelro, got.off)
	if ehTerm.size > 0 {
		l.EHFrame = eh[0].Addr
		l.EHFrameSize = l.at(PermR, ehTerm.off) + 4 - l.EHFrame
		l.EHFrameHdr, l.EHFrameHdrSize = l.at(PermR, ehHdr.off), ehHdr.size
	}
	if initCode.size > 0 {
		l.InitCode = l.at(PermRX, initCode.off)
	}
	if finiCode.size > 0 {
		l.FiniCode = l.at(PermRX, finiCode.off)
	}
	l.DSOHandle.Addr = l.at(PermRelro, dso.off)
	l.TLS.Template = l.at(PermR, tlsTemplate.off)
	for _, s := range l.TLS.sections {
		if s.Kind == KindTLSData {
			s.Addr = l.TLS.Template + s.TLSOffset
			copy(l.Mem(s.Addr, s.Size), s.Data)
		}
	}
	for i, c := range l.Copies {
		c.Addr = l.at(PermRW, copyOffs[i])
	}
	for i, c := range l.Commons {
		c.Addr = l.at(PermRWZero, commonOffs[i])
	}
	// __start_SEC / __stop_SEC bounds.
	l.startStop = map[string][2]uint64{}
	for p := range cident {
		for _, s := range cident[p] {
			r, ok := l.startStop[s.Name]
			if !ok {
				r[0] = s.Addr
			}
			r[1] = s.Addr + s.Size
			l.startStop[s.Name] = r
		}
	}
	l.assignAddrs()
	return nil
}

// fill copies the sections' contents into the image, in as many address-ordered pieces as
// there are cores. Everything below the zero-fill segment (written) is faulted in first, a
// piece at a time by the worker that then copies into it (MADV_POPULATE_WRITE where the
// memory offers it: one call instead of a fault per page).
func (l *Link) fill(mem Memory, places []placed, written uint64) {
	pop, _ := mem.(interface{ Populate(addr, size uint64) })
	if l.Separate {
		for p := PermRX; p < PermRWZero; p++ {
			if sg := l.segs[p]; pop != nil && sg.size > 0 {
				pop.Populate(sg.addr, sg.size)
			}
		}
		for _, pl := range places {
			sg := &l.segs[pl.perm]
			pl.sec.Addr = sg.addr + pl.off - sg.off
			if pl.sec.Data != nil && pl.sec.Kind != KindZeroFill {
				copy(sg.mem[pl.off-sg.off:pl.off-sg.off+pl.size], pl.sec.Data)
			}
		}
		return
	}
	w := runtime.GOMAXPROCS(0)
	if written < 1<<20 || len(places) < 2 {
		w = 1
	}
	piece := alignUp(written/uint64(w)+1, pageSize)
	// places are in increasing offset order: piece k copies those starting in it.
	parallel(w, func(k int) {
		lo, hi := uint64(k)*piece, min(uint64(k+1)*piece, written)
		if pop != nil && lo < hi {
			pop.Populate(l.base+lo, hi-lo)
		}
		first := sort.Search(len(places), func(i int) bool { return places[i].off >= lo })
		for _, pl := range places[first:] {
			if k < w-1 && pl.off >= hi {
				break
			}
			pl.sec.Addr = l.base + pl.off
			if pl.sec.Data != nil && pl.sec.Kind != KindZeroFill {
				copy(l.mem[pl.off:pl.off+pl.size], pl.sec.Data)
			}
		}
	})
}

// layoutTLS gives each thread-local section its offset in the TLS block: .tdata sections
// first (they form the initialisation image), then .tbss.
func (l *Link) layoutTLS() {
	sort.SliceStable(l.TLS.sections, func(i, j int) bool {
		return l.TLS.sections[i].Kind == KindTLSData && l.TLS.sections[j].Kind != KindTLSData
	})
	var off uint64
	l.TLS.Align = 1
	for _, s := range l.TLS.sections {
		off = alignUp(off, s.Align)
		s.TLSOffset = off
		off += s.Size
		if s.Align > l.TLS.Align {
			l.TLS.Align = s.Align
		}
		if s.Kind == KindTLSData {
			l.TLS.InitSize = off
		}
	}
	l.TLS.Size = off
}

// TLSImage returns the relocated .tdata image (valid after ApplyTLSTemplateFixups).
func (l *Link) TLSImage() []byte {
	if l.TLS.InitSize == 0 {
		return nil
	}
	return l.Mem(l.TLS.Template, l.TLS.InitSize)
}

// placeFrags lays .init/.fini fragments out as one function: prologue, fragments, epilogue.
func (l *Link) placeFrags(frags []*Section, off uint64, put func(*Section)) (struct{ off, size uint64 }, uint64) {
	start := alignUp(off, 16)
	pro, epi := l.Arch.InitCodePrologue(), l.Arch.InitCodeEpilogue()
	proSec := &Section{Name: ".init.prologue", Kind: KindCode, Align: 16, Size: uint64(len(pro)), Data: pro, Graph: &Graph{Name: "<jitrun>"}}
	epiSec := &Section{Name: ".init.epilogue", Kind: KindCode, Align: 1, Size: uint64(len(epi)), Data: epi, Graph: proSec.Graph}
	put(proSec)
	for _, f := range frags {
		f.Align = 1 // fragments run into each other
		put(f)
	}
	put(epiSec)
	end := epiSec.Addr + epiSec.Size
	return struct{ off, size uint64 }{start, end - start}, end
}

func copyAlign(size uint64) uint64 {
	switch {
	case size >= 16:
		return 16
	case size >= 8:
		return 8
	case size >= 4:
		return 4
	}
	return 1
}

// StartStop returns the bounds of the sections named name, for __start_name/__stop_name.
func (l *Link) StartStop(name string) (start, stop uint64, ok bool) {
	r, ok := l.startStop[name]
	return r[0], r[1], ok
}

// assignAddrs gives every definition its canonical address.
func (l *Link) assignAddrs() {
	parallel(len(l.Graphs), func(i int) {
		for _, s := range l.Graphs[i].Symbols {
			if s == nil || s.Def != Defined {
				continue
			}
			if s.Section.Discard {
				s.Addr = 0
				continue
			}
			if k := s.Section.Kind; k == KindTLSData || k == KindTLSZeroFill {
				s.Addr = s.Section.TLSOffset + s.Value // thread-local: an offset in the block
				continue
			}
			s.Addr = s.Section.Addr + s.Value
		}
	})
	for _, t := range l.Stubs {
		if t.Def == Defined {
			t.Target = t.Addr // an IFUNC's resolver, until it has run
		}
		t.Addr = l.StubBase + uint64(t.StubIndex)*l.Arch.StubSize()
	}
}

// allocate gives the link its memory: one allocation of total bytes, the permission groups
// at their offsets segStart in it, or with Separate one allocation per non-empty group.
func (l *Link) allocate(mem Memory, total uint64, segStart [PermRWZero + 1]uint64) error {
	for p := PermRX; p <= PermRWZero; p++ {
		end := total
		if p < PermRWZero {
			end = segStart[p+1]
		}
		l.segs[p] = segMem{off: segStart[p], size: end - segStart[p]}
	}
	if !l.Separate {
		base, m, err := mem.Alloc(total)
		if err != nil {
			return err
		}
		l.base, l.mem = base, m
		for p := range l.segs {
			sg := &l.segs[p]
			sg.addr, sg.mem = base+sg.off, m[sg.off:sg.off+sg.size]
		}
		return nil
	}
	sm, ok := mem.(SegmentMemory)
	if !ok {
		return fmt.Errorf("memory cannot allocate segments separately")
	}
	for p := PermRX; p <= PermRWZero; p++ {
		sg := &l.segs[p]
		if sg.size == 0 {
			continue
		}
		addr, m, err := sm.AllocSegment(p, sg.size)
		if err != nil {
			return err
		}
		sg.addr, sg.mem = addr, m
		if l.base == 0 || addr < l.base {
			l.base = addr
		}
	}
	return nil
}

// Region returns the link's one allocation (every segment lies inside it). A Separate
// link has none: it returns its lowest segment's start and a size of 0 (see Contains).
func (l *Link) Region() (addr, size uint64) {
	if l.Separate {
		return l.base, 0
	}
	return l.base, uint64(len(l.mem))
}

// Contains reports whether addr is in the link's memory.
func (l *Link) Contains(addr uint64) bool {
	if !l.Separate {
		return addr >= l.base && addr-l.base < uint64(len(l.mem))
	}
	for _, sg := range l.segs {
		if addr >= sg.addr && addr-sg.addr < sg.size {
			return true
		}
	}
	return false
}

// Mem returns a writable view of [addr, addr+size) of this link's memory.
func (l *Link) Mem(addr, size uint64) []byte {
	if l.Separate {
		for _, sg := range l.segs {
			if addr >= sg.addr && addr-sg.addr < sg.size || size == 0 && addr == sg.addr+sg.size {
				o := addr - sg.addr
				return sg.mem[o : o+size]
			}
		}
		panic(fmt.Sprintf("jitlink: %s: %#x+%#x is not in the link's memory", l.Name, addr, size))
	}
	o := addr - l.base
	return l.mem[o : o+size]
}

// ApplyTLSTemplateFixups applies the edges inside .tdata sections, so the TLS image can be
// registered before the code that needs its module id and offset is fixed up.
func (l *Link) ApplyTLSTemplateFixups() error {
	return l.applyEdges(func(s *Section) bool { return s.Kind == KindTLSData })
}

// ApplyFixups applies every other edge of every loaded section, in parallel over graphs, and
// fills the GOT, stub slots and stubs.
func (l *Link) ApplyFixups() error {
	if err := l.applyEdges(func(s *Section) bool { return s.Kind != KindTLSData && s.Kind != KindTLSZeroFill }); err != nil {
		return err
	}
	l.fillTables()
	l.FillEHFrameHdr()
	return nil
}

// edgeBlock is how many fixups the hot loops decode at a time (Section.EdgeBlock): 6 KiB,
// well inside the first-level cache.
const edgeBlock = 256

// edgeBufs recycles the blocks between graphs (a block per graph would be 18 MB of fresh
// heap for clang's 3,000 objects).
var edgeBufs = sync.Pool{New: func() any { b := make([]Edge, edgeBlock); return &b }}

func (l *Link) applyEdges(want func(*Section) bool) error {
	errs := make([][]error, len(l.Graphs))
	order := l.byEdges()
	parallel(len(order), func(oi int) {
		i := int(order[oi])
		g := l.Graphs[i]
		bp := edgeBufs.Get().(*[]Edge)
		defer edgeBufs.Put(bp)
		buf := *bp
		for _, sec := range g.Sections {
			if !live(sec) || sec.NumEdges() == 0 || !want(sec) {
				continue
			}
			m := l.Mem(sec.Addr, sec.Size)
			for k, ne := 0, sec.NumEdges(); k < ne; {
				blk := sec.EdgeBlock(k, buf)
				k += len(blk)
				for bi := range blk {
					e := &blk[bi]
					if err := l.Arch.Apply(l, sec, m, e, g.target(e, l)); err != nil {
						errs[i] = append(errs[i], err)
					}
				}
			}
		}
	})
	var all []error
	for _, e := range errs {
		all = append(all, e...)
	}
	if len(all) > 0 {
		return joinErrors(all)
	}
	return nil
}

func (l *Link) fillTables() {
	for i, e := range l.GOT {
		var v uint64
		switch e.Kind {
		case GOTAddr:
			v = e.Sym.Addr
		case GOTTPOff:
			v = l.TPOff(e.Sym)
		case GOTModule:
			v = l.TLS.ModID
			if e.Sym != nil {
				v = l.Module(e.Sym)
			}
		case GOTDTPOff:
			v = e.Sym.Addr
		case GOTTLSDescFn:
			v = l.TLSDescDynamic
		case GOTTLSDescArg:
			_, gd, _ := e.Sym.TLSIndices()
			v = l.GOTBase + uint64(gd)*8
		}
		le64(l.Mem(l.GOTBase+uint64(i)*8, 8), v)
	}
	ss := l.Arch.StubSize()
	for i, s := range l.Stubs {
		slot := l.SlotBase + uint64(i)*8
		le64(l.Mem(slot, 8), s.Target)
		stub := l.StubBase + uint64(i)*ss
		l.Arch.WriteStub(l.Mem(stub, ss), stub, slot)
	}
}

// SetStubTarget points stub slot of s at addr (used once an IFUNC resolver has run).
func (l *Link) SetStubTarget(s *Symbol, addr uint64) {
	s.Target = addr
	le64(l.Mem(l.SlotBase+uint64(s.StubIndex)*8, 8), addr)
}

func le64(b []byte, v uint64) {
	_ = b[7]
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	b[4], b[5], b[6], b[7] = byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56)
}

func rd64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// Protect applies each segment's final permission except the relro segment, which stays
// writable until FinishRelro (IFUNC resolvers may still fill stub slots).
func (l *Link) Protect(mem Memory) error {
	for _, s := range l.Segments {
		if s.Size == 0 || s.Perm == PermRelro || s.Perm == PermRW || s.Perm == PermRWZero {
			continue
		}
		if err := mem.Protect(s.Addr, s.Size, s.Perm); err != nil {
			return err
		}
	}
	return nil
}

// FinishRelro makes the GOT, stub slots and init/fini arrays read-only.
func (l *Link) FinishRelro(mem Memory) error {
	for _, s := range l.Segments {
		if s.Perm == PermRelro && s.Size > 0 {
			return mem.Protect(s.Addr, s.Size, PermR)
		}
	}
	return nil
}

// readWords reads a pointer array section's words, reversed for .ctors/.dtors, skipping the
// 0 and -1 sentinels.
func (l *Link) readWords(s *Section) []uint64 {
	n := s.Size / 8
	m := l.Mem(s.Addr, n*8)
	var out []uint64
	for i := uint64(0); i < n; i++ {
		k := i
		if s.Kind == KindCtors || s.Kind == KindDtors {
			k = n - 1 - i
		}
		v := rd64(m[k*8:])
		if v != 0 && v != ^uint64(0) {
			out = append(out, v)
		}
	}
	return out
}

// Initializers returns the functions to run before main, in run order: .preinit_array,
// the .init fragments, then .init_array and .ctors by priority.
func (l *Link) Initializers() []uint64 {
	var out []uint64
	for _, s := range l.preinit {
		out = append(out, l.readWords(s)...)
	}
	if l.InitCode != 0 {
		out = append(out, l.InitCode)
	}
	for _, s := range l.inits {
		out = append(out, l.readWords(s)...)
	}
	return out
}

// Finalizers returns the functions to run at exit, in run order: .fini_array and .dtors
// from last to first, then the .fini fragments.
func (l *Link) Finalizers() []uint64 {
	var arr []uint64
	for _, s := range l.finis {
		arr = append(arr, l.readWords(s)...)
	}
	out := make([]uint64, 0, len(arr)+1)
	for i := len(arr) - 1; i >= 0; i-- {
		out = append(out, arr[i])
	}
	if l.FiniCode != 0 {
		out = append(out, l.FiniCode)
	}
	return out
}

// parallel runs f(0..n-1) on all cores.
func parallel(n int, f func(int)) {
	w := runtime.GOMAXPROCS(0)
	if w > n {
		w = n
	}
	if w <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int32
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			f(i)
		}
	}
	// The calling goroutine is one of the workers: it starts at once on its own core,
	// instead of parking while the scheduler starts a goroutine there.
	for k := 1; k < w; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}

// byEdges returns the graphs' indices, those with the most relocations first: the edge
// passes (Scan, ApplyFixups) hand graphs out in this order, so that no core is left with a
// large object while the other has finished (CPython's fixups: ceval.o and the like came
// last in link order, and 204,000 fixups kept 1.16 of 2 cores busy).
func (l *Link) byEdges() []int32 {
	if l.edgeOrder != nil {
		return l.edgeOrder
	}
	l.sizes()
	n := l.liveEdges
	order := make([]int32, len(l.Graphs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return int(n[b] - n[a]) })
	l.edgeOrder = order
	return order
}

// sizes counts each graph's loaded sections and their edges, on all cores, once: for Scan's
// order and for the link statistics, which each walked clang's 265,000 sections (10 ms).
func (l *Link) sizes() {
	if l.liveSecs == nil {
		l.liveSecs, l.liveEdges = countLive(l.Graphs)
	}
}

// countLive counts, on all cores, each graph's loaded sections and their edges.
func countLive(graphs []*Graph) (sections, edges []int32) {
	sections, edges = make([]int32, len(graphs)), make([]int32, len(graphs))
	parallel(len(graphs), func(i int) {
		var ns, ne int
		for _, sec := range graphs[i].Sections {
			if live(sec) {
				ns++
				ne += sec.NumEdges()
			}
		}
		sections[i], edges[i] = int32(ns), int32(ne)
	})
	return sections, edges
}

// LiveCounts returns how many sections the link loads and how many edges they have.
func (l *Link) LiveCounts() (sections, edges int) {
	l.sizes()
	return sum(l.liveSecs), sum(l.liveEdges)
}

// LiveTotals counts the loaded sections of graphs and their edges, on all cores.
func LiveTotals(graphs []*Graph) (sections, edges int) {
	s, e := countLive(graphs)
	return sum(s), sum(e)
}

func sum(v []int32) int {
	n := 0
	for _, x := range v {
		n += int(x)
	}
	return n
}

// Parallel runs f(0..n-1) on all cores.
func Parallel(n int, f func(int)) { parallel(n, f) }

// MultiError is several link errors reported together, as ld reports them.
type MultiError []error

func (m MultiError) Error() string {
	s := ""
	for i, e := range m {
		if i > 0 {
			s += "\n"
		}
		s += e.Error()
	}
	return s
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return MultiError(errs)
}

// DebugSection is one output debug section (all inputs' .debug_X concatenated) with every
// relocation applied: addresses are load addresses, cross-section references are offsets
// into the concatenated sections.
type DebugSection struct {
	Name string
	Data []byte
}

// DebugSections concatenates the .debug_* sections of the link's graphs, in graph order, and
// applies their relocations against the final layout, for writing a pre-linked debug file.
// It must run after ApplyFixups. References into discarded COMDAT sections resolve to 0, as
// ld resolves them.
func (l *Link) DebugSections() ([]DebugSection, error) {
	type part struct {
		sec *Section
		off uint64
	}
	var names []string
	parts := map[string][]part{}
	size := map[string]uint64{}
	for _, g := range l.Graphs {
		for _, s := range g.Sections {
			if s == nil || s.Discard || s.Kind != KindNonAlloc || len(s.Name) < 7 || s.Name[:7] != ".debug_" {
				continue
			}
			if _, ok := parts[s.Name]; !ok {
				names = append(names, s.Name)
			}
			off := alignUp(size[s.Name], s.Align)
			parts[s.Name] = append(parts[s.Name], part{s, off})
			s.Addr = off // the section's place in the output debug section
			size[s.Name] = off + s.Size
		}
	}
	// Symbols defined in debug sections (mostly section symbols) move with them.
	for _, g := range l.Graphs {
		for _, s := range g.Symbols {
			if s != nil && s.Def == Defined && s.Section.Kind == KindNonAlloc && !s.Section.Discard {
				s.Addr = s.Section.Addr + s.Value
			}
		}
	}
	out := make([]DebugSection, len(names))
	var mu sync.Mutex
	var errs []error
	parallel(len(names), func(i int) {
		name := names[i]
		buf := make([]byte, size[name])
		for _, p := range parts[name] {
			if p.sec.Data == nil {
				continue
			}
			m := buf[p.off : p.off+p.sec.Size]
			copy(m, p.sec.Data)
			e := new(Edge) // the arch interface's pointer escapes
			for k, ne := 0, p.sec.NumEdges(); k < ne; k++ {
				*e = p.sec.Edge(k)
				if err := l.Arch.Apply(l, p.sec, m, e, p.sec.Graph.target(e, l)); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}
		out[i] = DebugSection{name, buf}
	})
	if len(errs) > 0 {
		return out, joinErrors(errs)
	}
	return out, nil
}

// WrittenPages counts the pages of the link's memory that relocation writes (those a fixup
// lands in, and those of the GOT, the stubs and their slots) and the pages it loads. The
// rest of the image is a copy of the inputs' bytes, which an image built in place could map
// from the input files and leave to be paged in on use, so written × pageSize is what any
// loader that relocates this link keeps resident (the memory floor of bench/bench.sh). For
// statistics only: it walks every edge again.
func (l *Link) WrittenPages(pageSize uint64) (written, loaded uint64) {
	for _, s := range l.Segments {
		loaded += (s.Size + pageSize - 1) / pageSize
	}
	perGraph := make([]map[uint64]struct{}, len(l.Graphs))
	parallel(len(l.Graphs), func(i int) {
		pages := map[uint64]struct{}{}
		var buf [256]Edge
		for _, sec := range l.Graphs[i].Sections {
			if !live(sec) {
				continue
			}
			for k, ne := 0, sec.NumEdges(); k < ne; {
				blk := sec.EdgeBlock(k, buf[:])
				k += len(blk)
				for _, e := range blk {
					// The page of the fixup's first byte: one that crosses into the next
					// page (rare: fields are mostly aligned) is counted once, so the
					// count is a lower bound.
					pages[(sec.Addr+e.Offset)/pageSize] = struct{}{}
				}
			}
		}
		perGraph[i] = pages
	})
	all := map[uint64]struct{}{}
	for _, p := range perGraph {
		for pg := range p {
			all[pg] = struct{}{}
		}
	}
	table := func(base, size uint64) {
		for a := base / pageSize; size > 0 && a <= (base+size-1)/pageSize; a++ {
			all[a] = struct{}{}
		}
	}
	table(l.GOTBase, uint64(len(l.GOT))*8)
	table(l.StubBase, uint64(len(l.Stubs))*l.Arch.StubSize())
	table(l.SlotBase, uint64(len(l.Stubs))*8)
	return uint64(len(all)), loaded
}
