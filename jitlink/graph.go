// Package jitlink is jitrun's format-neutral linker core: the link graph that object readers
// produce (sections, symbols and fixup edges), symbol classification, and the layout of a
// link batch into memory grouped by permission.
//
// Object readers (platform/<os>) turn bytes into Graphs; an Arch (jitlink/x86_64, ...) knows
// what each edge kind needs (GOT entries, stubs, copies) and how to apply it; orcrt drives
// resolution, layout, fixups and finalisation.
package jitlink

import (
	"encoding/binary"
	"fmt"
)

// SectionKind says what role a section plays in a link.
type SectionKind uint8

// Section kinds.
const (
	KindNonAlloc     SectionKind = iota // not loaded: debug info, comments, notes
	KindCode                            // read-execute
	KindROData                          // read-only after relocation
	KindData                            // read-write
	KindZeroFill                        // read-write, zero-initialised (.bss)
	KindTLSData                         // thread-local initialised (.tdata)
	KindTLSZeroFill                     // thread-local zeroed (.tbss)
	KindInitArray                       // .init_array[.N]
	KindFiniArray                       // .fini_array[.N]
	KindPreinitArray                    // .preinit_array
	KindCtors                           // .ctors[.N]: placed in init order, words reversed
	KindDtors                           // .dtors[.N]: placed in fini order, words reversed
	KindEHFrame                         // .eh_frame: registered with the unwinder
	KindInitCode                        // .init code fragments (crti/crtn style)
	KindFiniCode                        // .fini code fragments
)

var kindNames = [...]string{"non-alloc", "code", "rodata", "data", "zerofill", "tdata", "tbss",
	"init_array", "fini_array", "preinit_array", "ctors", "dtors", "eh_frame", "init", "fini"}

func (k SectionKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Perm is a memory permission group.
type Perm uint8

// Permission groups, in layout order.
const (
	PermNone   Perm = iota // not loaded
	PermRX                 // code
	PermR                  // read-only data (made read-only after relocation)
	PermRelro              // GOT, stub slots, init/fini arrays: read-only once resolved
	PermRW                 // writable data
	PermRWZero             // writable zero-fill
)

// Perm returns the permission group a section of this kind is loaded into.
func (k SectionKind) Perm() Perm {
	switch k {
	case KindCode, KindInitCode, KindFiniCode:
		return PermRX
	case KindROData, KindEHFrame:
		return PermR
	case KindInitArray, KindFiniArray, KindPreinitArray, KindCtors, KindDtors:
		return PermRelro
	case KindData:
		return PermRW
	case KindZeroFill:
		return PermRWZero
	}
	return PermNone
}

// Edge is one fixup: at Offset in its section, write a value of the arch-specific Kind
// computed from the Target symbol and Addend.
type Edge struct {
	Offset uint64
	Addend int64
	Target uint32 // index into the graph's Symbols
	Kind   uint16 // arch-specific kind
	Type   uint16 // the object format's relocation type, for messages
}

// Section is one input section of a graph. (Fields ordered so that it packs into 144
// bytes: clang's link reads 400,000 sections, each on fresh heap.)
type Section struct {
	Name  string
	Graph *Graph
	Data  []byte // contents (nil for zero-fill); a view of the input, never written
	// Edges are the section's fixups, unless Rela holds them: read them with NumEdges and
	// Edge, which know both.
	Edges []Edge
	// Rela is a view of the input's relocation records for the section in ELF64 RELA form
	// (r_offset, r_info, r_addend: 24 bytes each), decoded on each read through the
	// graph's RelaKinds. A reader hands over a relocation section it has checked this way
	// instead of copying it into Edges: clang's link has a million relocations, and the
	// copy was 100 MB of fresh heap, every page of it a fault, for records the link reads
	// twice (scan, fixups).
	Rela  []byte
	Align uint64
	Size  uint64
	// TLSOffset is a thread-local section's offset in the link's TLS block.
	TLSOffset uint64
	Addr      uint64 // load address, set by layout

	Index    int32 // index in the object file
	Priority int32 // init/fini priority (65535 when none)
	Group    int32 // index+1 of the COMDAT group in Graph.Groups, 0 for none
	Kind     SectionKind
	Discard  bool // member of a COMDAT group another graph provides
	Merge    bool // SHF_MERGE: duplicate constants may be shared
	Strings  bool // SHF_STRINGS
}

// Binding is a symbol's binding.
type Binding uint8

// Bindings.
const (
	Local Binding = iota
	Global
	Weak
)

// Visibility is a symbol's visibility.
type Visibility uint8

// Visibilities, as in ELF.
const (
	Default Visibility = iota
	Internal
	Hidden
	Protected
)

// SymType classifies what a symbol names.
type SymType uint8

// Symbol types.
const (
	NoType SymType = iota
	Object
	Func
	SectionSym
	FileSym
	TLS
	IFunc
)

// Def says where a symbol is defined.
type Def uint8

// Definition states.
const (
	Undefined Def = iota
	Defined       // in a section of a graph
	Absolute      // fixed value
	Common        // tentative definition: Value is the alignment
	External      // in a precompiled shared library or the host process: Addr is its address
	Synthetic     // defined by the linker (GOT base, __dso_handle, __start_X): Addr set by layout
)

// Symbol is a symbol of a graph, or an external or synthetic definition.
type Symbol struct {
	Name    string
	Graph   *Graph
	Section *Section
	Value   uint64 // offset in Section, absolute value, or alignment of a common symbol
	Size    uint64
	// Res is the definition this symbol binds to after resolution (itself for definitions
	// that won). Fixups always go through Res.
	Res *Symbol

	// Addr is the canonical address every reference uses, set by layout: the definition's
	// place, or for a function reached through a stub the stub, or for copied data the copy.
	Addr uint64
	// Target is where the symbol really is: for External symbols the address in the shared
	// library; for IFUNCs the implementation the resolver selected. Stubs jump there.
	Target uint64

	// The one-byte fields are kept together (a link has a million symbols: padding counts).
	Binding    Binding
	Visibility Visibility
	Type       SymType
	Def        Def

	// Link-time needs, set by the arch scan over edges that reference this definition.
	NeedsGOT   bool
	NeedsStub  bool // a stub in the JIT'd code jumps to it (external or IFUNC)
	NeedsCopy  bool // external data referenced with a 32-bit fixup: a copy in JIT'd memory
	NeedsTLSGD bool // a GOT pair {module, offset} for general-dynamic access
	NeedsGOTTP bool // a GOT entry holding the %fs offset, for initial-exec access
	// NeedsTLSDesc: a TLS descriptor refers to it. Scan decides: TLSDescIE relaxes the
	// sequence to initial exec (static TLS), else a dynamic descriptor at TLSDescIndex.
	NeedsTLSDesc bool
	TLSDescIE    bool
	numbered     bool // GOT/stub indices assigned by Scan
	GOTIndex     int32
	StubIndex    int32

	// X holds what few symbols need (nil for most): it keeps Symbol at 104 bytes, not 144.
	X *SymExtra
}

// SymExtra holds a symbol's rarely used fields: a version, the defining library, TLS data.
type SymExtra struct {
	Version string // symbol version of a versioned reference ("GLIBC_2.2.5"), if any
	Lib     string // for External: the library that defines it
	// TLSModule is the TLS module id of an external thread-local symbol's library; for
	// those, Addr is the offset in that module's block and Target the %fs offset (0 if the
	// library's TLS is not static).
	TLSModule uint64
	// GOT indices of the TLS entries, set by Scan: a descriptor pair, a {module, offset}
	// pair, an initial-exec offset (-1: none).
	TLSDescIndex, TLSGDIndex, GOTTPIndex int32
	// Code is where the edges Link.Direct accepts go instead of this symbol: a lazily
	// linked function's code, when the symbol is its stub.
	Code *Symbol
}

// Extra returns the symbol's rarely used fields, allocating them on first use (not safe
// for concurrent first use: parsing, binding and numbering each own their symbols).
func (s *Symbol) Extra() *SymExtra {
	if s.X == nil {
		s.X = &SymExtra{TLSDescIndex: -1, TLSGDIndex: -1, GOTTPIndex: -1}
	}
	return s.X
}

// Version returns the symbol version of a versioned reference ("GLIBC_2.2.5"), or "".
func (s *Symbol) Version() string {
	if s.X == nil {
		return ""
	}
	return s.X.Version
}

// Lib returns the library that defines an External symbol, or "".
func (s *Symbol) Lib() string {
	if s.X == nil {
		return ""
	}
	return s.X.Lib
}

// TLSModule returns the TLS module id of an external thread-local symbol's library.
func (s *Symbol) TLSModule() uint64 {
	if s.X == nil {
		return 0
	}
	return s.X.TLSModule
}

// TLSIndices returns the GOT indices of the symbol's TLS descriptor pair, {module, offset}
// pair and initial-exec offset entry (-1 for each one it does not have).
func (s *Symbol) TLSIndices() (desc, gd, gottp int32) {
	if s.X == nil {
		return -1, -1, -1
	}
	return s.X.TLSDescIndex, s.X.TLSGDIndex, s.X.GOTTPIndex
}

// IsDefinedHere reports whether the symbol lives in JIT'd memory of this link.
func (s *Symbol) IsDefinedHere() bool {
	return s.Def == Defined || s.Def == Common || s.Def == Synthetic
}

// Graph is the format-neutral contents of one relocatable object.
type Graph struct {
	Name     string // display name: "main.o" or "libfoo.a(bar.o)"
	Sections []*Section
	// Symbols are indexed by edge targets. A nil entry is an unused slot, or a symbol the
	// reader left out (see Quiet).
	Symbols []*Symbol
	Groups  []Group
	// FirstGlobal is the index of the first non-local symbol in Symbols.
	FirstGlobal int
	// RelaKinds maps an ELF relocation type to its edge kind, for sections whose edges are
	// in Rela form.
	RelaKinds []uint16
	// Quiet decodes input symbol i when Symbols[i] is nil because the reader left it out: a
	// local definition no relocation or group refers to (most of an object's symbols:
	// static functions and variables, which the assembler reaches through section
	// symbols). Nothing binds to those; debug tables and messages list them through
	// SymbolAt. Nil when the reader left nothing out.
	Quiet func(i int) (Symbol, bool)
}

// SymbolAt returns symbol i of the graph: Symbols[i], or else the symbol the reader left
// out there, decoded into tmp with its section taken from this graph's Sections (a graph
// standing for part of an object has its own), or nil. A symbol decoded into tmp is valid
// until the next call with tmp.
func (g *Graph) SymbolAt(i int, tmp *Symbol) *Symbol {
	if s := g.Symbols[i]; s != nil || g.Quiet == nil {
		return s
	}
	s, ok := g.Quiet(i)
	if !ok {
		return nil
	}
	if s.Section != nil {
		s.Section = g.SectionAt(int(s.Section.Index))
		if s.Section == nil {
			return nil // the part of the object this graph does not hold
		}
	}
	s.Graph = g
	*tmp = s
	return tmp
}

// NumEdges returns the number of the section's fixups.
func (s *Section) NumEdges() int {
	if s.Rela != nil {
		return len(s.Rela) / 24
	}
	return len(s.Edges)
}

// Edge returns the section's k-th fixup.
func (s *Section) Edge(k int) Edge {
	if s.Rela == nil {
		return s.Edges[k]
	}
	var one [1]Edge
	return s.EdgeBlock(k, one[:])[0]
}

// EdgeBlock returns the section's fixups from the k-th on: all of them when they are in
// Edges, else as many as fit in buf, decoded there. Hot loops go through blocks: a loop
// whose every step decodes a record and then misses the cache on the target symbol keeps
// half as many misses in flight as one that walks decoded edges (clang's scan took twice
// as long).
func (s *Section) EdgeBlock(k int, buf []Edge) []Edge {
	if s.Rela == nil {
		return s.Edges[k:]
	}
	n := min(len(s.Rela)/24-k, len(buf))
	raw := s.Rela[k*24 : (k+n)*24]
	kinds := s.Graph.RelaKinds
	out := buf[:n]
	for i := range out {
		// Field by field: a composite literal is built on the stack and copied in 16-byte
		// moves that cannot be forwarded from its narrower stores (half of the decoding
		// time was that stall).
		b := raw[i*24 : i*24+24]
		info := binary.LittleEndian.Uint64(b[8:])
		t := uint32(info)
		o := &out[i]
		o.Offset = binary.LittleEndian.Uint64(b)
		o.Addend = int64(binary.LittleEndian.Uint64(b[16:]))
		o.Target = uint32(info >> 32)
		o.Kind = kinds[t]
		o.Type = uint16(t)
	}
	return out
}

// OwnEdges makes Edges a copy of the section's fixups that the caller may change (and
// shares with no other section), and returns it.
func (s *Section) OwnEdges() []Edge {
	n := s.NumEdges()
	e := make([]Edge, n)
	for k := range e {
		e[k] = s.Edge(k)
	}
	s.Edges, s.Rela = e, nil
	return e
}

// Group is a COMDAT group: sections kept or discarded together, decided by Signature.
type Group struct {
	Signature string
	Sections  []int // section indices
	Kept      bool
}

// SectionAt returns the section with object index i, or nil.
func (g *Graph) SectionAt(i int) *Section {
	if i >= 0 && i < len(g.Sections) {
		return g.Sections[i]
	}
	return nil
}

// FuncContaining names the function symbol that covers offset off of sec, for messages like
// ld's "in function `main'". It returns "" when none does.
func (g *Graph) FuncContaining(sec *Section, off uint64) string {
	best := ""
	var bestVal uint64
	var tmp Symbol
	for i := range g.Symbols {
		s := g.SymbolAt(i, &tmp)
		if s == nil || s.Section != sec || s.Type != Func {
			continue
		}
		if s.Value <= off && (off < s.Value+s.Size || s.Size == 0) && (best == "" || s.Value >= bestVal) {
			best, bestVal = s.Name, s.Value
		}
	}
	return best
}
