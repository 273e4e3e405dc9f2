package linux

import (
	"strconv"
	"strings"
	"sync"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
)

// relocWidths holds x86_64.Width of each kind, for the check of every relocation.
var relocWidths = func() (w [x86_64.NumKinds]uint8) {
	for k := range w {
		w[k] = uint8(x86_64.Width(uint16(k)))
	}
	return
}()

// x86-64 ELF relocation types mapped to edge kinds (0 where unsupported).
var relocKinds = [...]uint16{
	0:  x86_64.None,             // R_X86_64_NONE
	1:  x86_64.Pointer64,        // R_X86_64_64
	2:  x86_64.Delta32,          // R_X86_64_PC32
	3:  x86_64.GOTEntryOffset32, // R_X86_64_GOT32
	4:  x86_64.Branch32,         // R_X86_64_PLT32
	9:  x86_64.GOTDelta32,       // R_X86_64_GOTPCREL
	10: x86_64.Pointer32,        // R_X86_64_32
	11: x86_64.Pointer32S,       // R_X86_64_32S
	12: x86_64.Pointer16,        // R_X86_64_16
	13: x86_64.Delta16,          // R_X86_64_PC16
	14: x86_64.Pointer8,         // R_X86_64_8
	15: x86_64.Delta8,           // R_X86_64_PC8
	16: x86_64.DTPMod64,         // R_X86_64_DTPMOD64
	17: x86_64.DTPOff64,         // R_X86_64_DTPOFF64
	18: x86_64.TPOff64,          // R_X86_64_TPOFF64
	19: x86_64.TLSGD,            // R_X86_64_TLSGD
	20: x86_64.TLSLD,            // R_X86_64_TLSLD
	21: x86_64.DTPOff32,         // R_X86_64_DTPOFF32
	22: x86_64.GOTTPOff,         // R_X86_64_GOTTPOFF
	23: x86_64.TPOff32,          // R_X86_64_TPOFF32
	24: x86_64.Delta64,          // R_X86_64_PC64
	25: x86_64.GOTOffset64,      // R_X86_64_GOTOFF64
	26: x86_64.GOTBaseDelta32,   // R_X86_64_GOTPC32
	27: x86_64.GOTEntryOffset64, // R_X86_64_GOT64
	28: x86_64.GOTDelta64,       // R_X86_64_GOTPCREL64
	29: x86_64.GOTBaseDelta64,   // R_X86_64_GOTPC64
	30: x86_64.GOTEntryOffset64, // R_X86_64_GOTPLT64
	31: x86_64.PLTOffset64,      // R_X86_64_PLTOFF64
	32: x86_64.Size32,           // R_X86_64_SIZE32
	33: x86_64.Size64,           // R_X86_64_SIZE64
	34: x86_64.GOTPC32TLSDesc,   // R_X86_64_GOTPC32_TLSDESC
	35: x86_64.TLSDescCall,      // R_X86_64_TLSDESC_CALL
	41: x86_64.GOTDelta32Relax,  // R_X86_64_GOTPCRELX
	42: x86_64.GOTDelta32RelaxREX,
}

var relocNames = map[uint32]string{0: "R_X86_64_NONE", 1: "R_X86_64_64", 2: "R_X86_64_PC32", 3: "R_X86_64_GOT32",
	4: "R_X86_64_PLT32", 5: "R_X86_64_COPY", 6: "R_X86_64_GLOB_DAT", 7: "R_X86_64_JUMP_SLOT",
	8: "R_X86_64_RELATIVE", 9: "R_X86_64_GOTPCREL", 10: "R_X86_64_32", 11: "R_X86_64_32S",
	12: "R_X86_64_16", 13: "R_X86_64_PC16", 14: "R_X86_64_8", 15: "R_X86_64_PC8",
	16: "R_X86_64_DTPMOD64", 17: "R_X86_64_DTPOFF64", 18: "R_X86_64_TPOFF64", 19: "R_X86_64_TLSGD",
	20: "R_X86_64_TLSLD", 21: "R_X86_64_DTPOFF32", 22: "R_X86_64_GOTTPOFF", 23: "R_X86_64_TPOFF32",
	24: "R_X86_64_PC64", 25: "R_X86_64_GOTOFF64", 26: "R_X86_64_GOTPC32", 27: "R_X86_64_GOT64",
	28: "R_X86_64_GOTPCREL64", 29: "R_X86_64_GOTPC64", 30: "R_X86_64_GOTPLT64", 31: "R_X86_64_PLTOFF64",
	32: "R_X86_64_SIZE32", 33: "R_X86_64_SIZE64", 34: "R_X86_64_GOTPC32_TLSDESC",
	35: "R_X86_64_TLSDESC_CALL", 36: "R_X86_64_TLSDESC", 37: "R_X86_64_IRELATIVE",
	38: "R_X86_64_RELATIVE64", 41: "R_X86_64_GOTPCRELX", 42: "R_X86_64_REX_GOTPCRELX"}

// RelocName names an x86-64 ELF relocation type as readelf does.
func RelocName(t uint16) string {
	if n, ok := relocNames[uint32(t)]; ok {
		return n
	}
	return "R_X86_64_" + strconv.Itoa(int(t))
}

// shdrPool recycles section header tables between ReadObject calls.
var shdrPool = sync.Pool{New: func() any { return new([]shdr) }}

// ReadObject parses an ELF64 x86-64 relocatable object into a link graph. name is the display
// name used in messages ("main.o", "libfoo.a(bar.o)"). The graph keeps views of data.
func ReadObject(name string, data []byte) (*jitlink.Graph, error) {
	h, err := readHeader(name, data)
	if err != nil {
		return nil, err
	}
	switch h.typ {
	case etRel:
	case etDyn:
		return nil, errf(name, "is a shared library, not a relocatable object")
	default:
		return nil, errf(name, "not a relocatable object (ELF type %d)", h.typ)
	}
	bufp := shdrPool.Get().(*[]shdr)
	shdrs, err := readSectionsInto(*bufp, name, data, h)
	if err != nil {
		shdrPool.Put(bufp)
		return nil, err
	}
	defer func() { // the graph keeps no reference to the section headers
		*bufp = shdrs[:0]
		shdrPool.Put(bufp)
	}()
	if len(shdrs) == 0 {
		return nil, errf(name, "object has no sections")
	}
	shstrndx := uint32(h.shstrndx)
	if shstrndx == shnXindex {
		shstrndx = shdrs[0].link
	}
	if shstrndx >= uint32(len(shdrs)) || shdrs[shstrndx].typ != shtStrtab {
		return nil, errf(name, "bad section name table index %d", shstrndx)
	}
	shstr := sectionData(data, &shdrs[shstrndx])

	g := &jitlink.Graph{Name: name, Sections: make([]*jitlink.Section, len(shdrs))}
	// One allocation for the sections the graph keeps (relocation, symbol, string and group
	// sections, about half of an object's, get none): its capacity is exact, so the
	// pointers into it stay valid.
	kept, groups := 0, 0
	for i := range shdrs {
		switch shdrs[i].typ {
		case shtGroup:
			groups++
		case shtSymtab, shtSymtabShndx, shtRela, shtStrtab, shtNull:
		default:
			kept++
		}
	}
	secs := make([]jitlink.Section, 0, kept)
	if groups > 0 {
		g.Groups = make([]jitlink.Group, 0, groups) // C++ objects have one per inline function
	}
	symtab := -1
	var shndxTab []byte
	for i := range shdrs {
		s := &shdrs[i]
		sname, ok := cstring(shstr, s.name)
		if !ok {
			return nil, errf(name, "section %d: name offset %d out of range", i, s.name)
		}
		switch s.typ {
		case shtSymtab:
			if symtab >= 0 {
				return nil, errf(name, "more than one symbol table")
			}
			symtab = i
			continue
		case shtSymtabShndx:
			shndxTab = sectionData(data, s)
			continue
		case shtRel:
			return nil, errf(name, "section %s: SHT_REL relocations are not used on x86-64", sname)
		case shtRela, shtStrtab, shtGroup, shtNull:
			continue
		}
		align := s.addralign
		if align == 0 {
			align = 1
		}
		if align&(align-1) != 0 {
			return nil, errf(name, "section %s: alignment %d is not a power of two", sname, align)
		}
		if align > 1<<20 {
			return nil, errf(name, "section %s: alignment %d is too large", sname, align)
		}
		secs = append(secs, jitlink.Section{})
		sec := &secs[len(secs)-1]
		*sec = jitlink.Section{Name: sname, Graph: g, Index: int32(i), Align: align, Size: s.size,
			Data: sectionData(data, s), Priority: 65535,
			Merge: s.flags&shfMerge != 0, Strings: s.flags&shfStrings != 0}
		kind, prio := classify(sname, s)
		sec.Kind, sec.Priority = kind, int32(prio)
		if s.flags&shfTLS != 0 && s.flags&shfAlloc != 0 {
			if s.typ == shtNobits {
				sec.Kind = jitlink.KindTLSZeroFill
			} else {
				sec.Kind = jitlink.KindTLSData
			}
		}
		if s.flags&shfExclude != 0 {
			sec.Kind = jitlink.KindNonAlloc
		}
		if strings.HasPrefix(sname, ".gnu.lto_") {
			return nil, errf(name, "contains LTO bytecode (section %s): recompile without -flto", sname)
		}
		g.Sections[i] = sec
	}
	if symtab < 0 {
		// An object without symbols can still carry data (rare); nothing can reference it.
		return g, nil
	}
	r, err := readSymbols(g, name, data, shdrs, symtab, shndxTab)
	if err != nil {
		return nil, err
	}
	for i := range shdrs {
		s := &shdrs[i]
		switch s.typ {
		case shtRela:
			if err := readRelocs(r, data, shdrs, i, symtab); err != nil {
				return nil, err
			}
		case shtGroup:
			if err := readGroup(r, data, shdrs, i, symtab); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

// classify decides a section's role from its name, type and flags.
func classify(name string, s *shdr) (jitlink.SectionKind, int) {
	if s.flags&shfAlloc == 0 {
		return jitlink.KindNonAlloc, 65535
	}
	switch s.typ {
	case shtNote:
		return jitlink.KindNonAlloc, 65535 // .note.gnu.property and friends: nothing to load
	case shtInitArray:
		return jitlink.KindInitArray, priority(name, ".init_array")
	case shtFiniArray:
		return jitlink.KindFiniArray, priority(name, ".fini_array")
	case shtPreinit:
		return jitlink.KindPreinitArray, 65535
	case shtX86Unwind:
		return jitlink.KindEHFrame, 65535
	}
	switch {
	case name == ".init_array" || strings.HasPrefix(name, ".init_array."):
		return jitlink.KindInitArray, priority(name, ".init_array")
	case name == ".fini_array" || strings.HasPrefix(name, ".fini_array."):
		return jitlink.KindFiniArray, priority(name, ".fini_array")
	case name == ".preinit_array":
		return jitlink.KindPreinitArray, 65535
	case name == ".ctors" || strings.HasPrefix(name, ".ctors."):
		// .ctors.N holds priority 65535-N (GCC's encoding for the old mechanism).
		return jitlink.KindCtors, 65535 - priority(name, ".ctors")
	case name == ".dtors" || strings.HasPrefix(name, ".dtors."):
		return jitlink.KindDtors, 65535 - priority(name, ".dtors")
	case name == ".eh_frame":
		return jitlink.KindEHFrame, 65535
	case name == ".init" && s.flags&shfExec != 0:
		return jitlink.KindInitCode, 65535
	case name == ".fini" && s.flags&shfExec != 0:
		return jitlink.KindFiniCode, 65535
	}
	if s.typ == shtNobits {
		return jitlink.KindZeroFill, 65535
	}
	if s.flags&shfExec != 0 {
		return jitlink.KindCode, 65535
	}
	if s.flags&shfWrite != 0 {
		return jitlink.KindData, 65535
	}
	return jitlink.KindROData, 65535
}

// priority parses the numeric suffix of ".init_array.00101"-style names: 65535 without one;
// for .ctors/.dtors, whose callers store 65535-N, 0 without one (so they also get 65535).
func priority(name, base string) int {
	if len(name) <= len(base)+1 {
		if strings.HasPrefix(base, ".ctors") || strings.HasPrefix(base, ".dtors") {
			return 0
		}
		return 65535
	}
	n, err := strconv.Atoi(name[len(base)+1:])
	if err != nil || n < 0 || n > 65535 {
		return 65535
	}
	return n
}

func readSymbols(g *jitlink.Graph, name string, data []byte, shdrs []shdr, symtab int, shndxTab []byte) (*symReader, error) {
	st := &shdrs[symtab]
	if st.entsize != 24 {
		return nil, errf(name, "symbol table entry size %d, want 24", st.entsize)
	}
	if st.link >= uint32(len(shdrs)) || shdrs[st.link].typ != shtStrtab {
		return nil, errf(name, "symbol table has no string table (link %d)", st.link)
	}
	raw := sectionData(data, st)
	n := len(raw) / 24
	r := &symReader{g: g, name: name, raw: raw[:n*24], strtab: sectionData(data, &shdrs[st.link]), shndxTab: shndxTab}
	g.Symbols = make([]*jitlink.Symbol, n)
	first := int(st.info)
	if first > n {
		first = n
	}
	g.FirstGlobal = first
	// Local definitions other than section symbols get no Symbol unless a relocation or a
	// group names them (materialize): the assembler reaches static functions and variables
	// through section symbols, so most are never looked up by index. They are all still
	// checked here, and Graph.Quiet decodes them again for debug tables and messages.
	kept := 0
	for i := 1; i < n; i++ {
		if !quiet(raw[i*24+4]) {
			kept++
		}
	}
	syms := make([]jitlink.Symbol, kept)
	k := 0
	var s jitlink.Symbol
	for i := 1; i < n; i++ {
		// Decoded into a temporary, then stored: the slab's fresh pages must be written
		// first. A pointer's nil check reads them first, which maps the shared zero page,
		// and the write after that is a copy-on-write fault that flushes the other core's
		// TLB (the generated 2,000-object program's parsing took 50 ms longer).
		if err := r.decode(i, shdrs, &s); err != nil {
			return nil, err
		}
		if quiet(raw[i*24+4]) {
			r.quiet = true
			continue
		}
		syms[k] = s
		g.Symbols[i] = &syms[k]
		k++
	}
	if r.quiet {
		g.Quiet = r.decodeQuiet
	}
	return r, nil
}

// quiet reports whether a symbol with this st_info byte is left out of Graph.Symbols until
// something refers to it: a local that is not a section symbol.
func quiet(info byte) bool {
	return info>>4 == stbLocal && info&0xf != sttSection
}

// symReader decodes an object's symbol table (a view of the input).
type symReader struct {
	g                     *jitlink.Graph
	name                  string
	raw, strtab, shndxTab []byte
	quiet                 bool             // some symbols were left out
	slab                  []jitlink.Symbol // for those materialized
}

// materialize gives symbol i, left out by readSymbols, its Symbol (a relocation or a group
// refers to it). It reports false for an index that names no symbol.
func (r *symReader) materialize(i uint32) bool {
	g := r.g
	if i == 0 || int(i) >= len(g.Symbols) {
		return false
	}
	if g.Symbols[i] != nil {
		return true
	}
	if !r.quiet {
		return false
	}
	var s jitlink.Symbol
	if r.decode(int(i), nil, &s) != nil {
		return false
	}
	if len(r.slab) == 0 {
		r.slab = make([]jitlink.Symbol, 16)
	}
	r.slab[0] = s // written, not read, first (see readSymbols)
	g.Symbols[i] = &r.slab[0]
	r.slab = r.slab[1:]
	return true
}

// decodeQuiet is Graph.Quiet: symbol i decoded again (checked when the object was read).
func (r *symReader) decodeQuiet(i int) (jitlink.Symbol, bool) {
	if i <= 0 || i >= len(r.g.Symbols) {
		return jitlink.Symbol{}, false
	}
	var s jitlink.Symbol
	err := r.decode(i, nil, &s)
	return s, err == nil
}

// decode decodes symbol record i into *s (all of it: s is overwritten), checking it. shdrs
// are the object's section headers while it is being read; nil later, when every record has
// been checked once. (s is a temporary, never a slot of the slab: see readSymbols.)
func (r *symReader) decode(i int, shdrs []shdr, s *jitlink.Symbol) error {
	*s = jitlink.Symbol{}
	g, name, raw, strtab, shndxTab := r.g, r.name, r.raw, r.strtab, r.shndxTab
	b := raw[i*24:]
	nameOff := le.Uint32(b)
	info, other := b[4], b[5]
	shndx := uint32(le.Uint16(b[6:]))
	value, size := le.Uint64(b[8:]), le.Uint64(b[16:])
	sname, ok := cstring(strtab, nameOff)
	if !ok {
		return errf(name, "symbol %d: name offset %d out of range", i, nameOff)
	}
	if shndx == shnXindex {
		if len(shndxTab) < (i+1)*4 {
			return errf(name, "symbol %s: extended section index missing", sname)
		}
		shndx = le.Uint32(shndxTab[i*4:])
	}
	s.Name, s.Graph, s.Value, s.Size = sname, g, value, size
	s.Visibility = jitlink.Visibility(other & 3)
	switch info >> 4 {
	case stbLocal:
		s.Binding = jitlink.Local
	case stbGlobal, stbUnique:
		s.Binding = jitlink.Global
	case stbWeak:
		s.Binding = jitlink.Weak
	default:
		return errf(name, "symbol %s: unknown binding %d", sname, info>>4)
	}
	s.Type = symType(info)
	switch {
	case shndx == shnUndef:
		s.Def = jitlink.Undefined
	case shndx == shnAbs:
		s.Def = jitlink.Absolute
	case shndx == shnCommon:
		s.Def = jitlink.Common
		if value == 0 || value&(value-1) != 0 {
			s.Value = 1 // alignment must be a power of two; be lenient
		}
	case shndx >= shnLoreserve && shndx < shnXindex:
		return errf(name, "symbol %s: unsupported special section index %#x", sname, shndx)
	default:
		sec := g.SectionAt(int(shndx))
		if sec == nil && shdrs == nil {
			s.Def = jitlink.Absolute // checked when the object was read (below)
			break
		}
		if sec == nil {
			if int(shndx) < len(shdrs) && shdrs[shndx].typ == shtGroup {
				s.Def = jitlink.Absolute // group signature symbol in a group section: meaningless
				break
			}
			if int(shndx) >= len(shdrs) {
				return errf(name, "symbol %s: section index %d out of range", sname, shndx)
			}
			// A symbol in a section that is not loaded (e.g. a string table): treat as absolute.
			s.Def = jitlink.Absolute
			break
		}
		s.Def, s.Section = jitlink.Defined, sec
		if s.Type == jitlink.SectionSym {
			s.Name = sec.Name
		}
	}
	if s.Binding != jitlink.Local {
		// Versioned names: "foo@@V" defines foo (default version); "foo@V" as a reference
		// asks for version V; as a definition it is a hidden version, kept under its full name.
		if at := strings.IndexByte(sname, '@'); at > 0 {
			if strings.HasPrefix(sname[at:], "@@") {
				s.Name = sname[:at]
				if s.Def == jitlink.Undefined {
					s.Extra().Version = sname[at+2:]
				}
			} else if s.Def == jitlink.Undefined {
				s.Name, s.Extra().Version = sname[:at], sname[at+1:]
			}
		}
	}
	return nil
}

func readRelocs(r *symReader, data []byte, shdrs []shdr, i, symtab int) error {
	g, name := r.g, r.name
	rs := &shdrs[i]
	target := g.SectionAt(int(rs.info))
	if target == nil {
		if int(rs.info) >= len(shdrs) {
			return errf(name, "relocation section %d: target section %d out of range", i, rs.info)
		}
		return nil // relocations for a section we do not keep (e.g. of a group section)
	}
	if rs.entsize != 24 {
		return errf(name, "section %s: relocation entry size %d, want 24", target.Name, rs.entsize)
	}
	if int(rs.link) != symtab {
		return errf(name, "section %s: relocations refer to symbol table %d, not %d", target.Name, rs.link, symtab)
	}
	raw := sectionData(data, rs)
	n := len(raw) / 24
	raw = raw[:n*24]
	// Every record is checked here; a section's relocations then stay in the input as they
	// are (Section.Rela) unless there is an R_X86_64_NONE to drop or a second relocation
	// section for the same target (rare: hand-written assembly, ld -r output).
	none := false
	syms, size := g.Symbols, target.Size
	for at := 0; at+24 <= len(raw); at += 24 {
		b := raw[at : at+24 : at+24]
		off := le.Uint64(b)
		info := le.Uint64(b[8:])
		typ, sym := uint32(info), uint32(info>>32)
		if typ == 0 {
			none = true
			continue
		}
		var kind uint16
		if typ < uint32(len(relocKinds)) {
			kind = relocKinds[typ]
		}
		if kind == x86_64.None {
			return errf(name, "section %s offset %#x: unsupported relocation type %s", target.Name, off, RelocName(uint16(typ)))
		}
		// The symbol exists (most do: globals and section symbols) or is made now.
		if (sym == 0 || int(sym) >= len(syms) || syms[sym] == nil) && !r.materialize(sym) {
			return errf(name, "section %s offset %#x: %s refers to bad symbol index %d", target.Name, off, RelocName(uint16(typ)), sym)
		}
		if w := uint64(relocWidths[kind]); off > size || size-off < w {
			return errf(name, "section %s offset %#x: %s against `%s' is outside the section (size %#x)", target.Name, off, RelocName(uint16(typ)), g.Symbols[sym].Name, target.Size)
		}
	}
	if n == 0 {
		return nil
	}
	g.RelaKinds = relocKinds[:]
	if !none && target.Edges == nil && target.Rela == nil {
		target.Rela = raw
		return nil
	}
	edges := target.OwnEdges()
	for k := 0; k < n; k++ {
		b := raw[k*24:]
		info := le.Uint64(b[8:])
		if typ := uint32(info); typ != 0 {
			edges = append(edges, jitlink.Edge{Offset: le.Uint64(b), Addend: int64(le.Uint64(b[16:])),
				Target: uint32(info >> 32), Kind: relocKinds[typ], Type: uint16(typ)})
		}
	}
	target.Edges = edges
	return nil
}

func readGroup(r *symReader, data []byte, shdrs []shdr, i, symtab int) error {
	g, name := r.g, r.name
	gs := &shdrs[i]
	raw := sectionData(data, gs)
	if len(raw) < 4 || len(raw)%4 != 0 {
		return errf(name, "group section %d: bad size %d", i, len(raw))
	}
	if le.Uint32(raw)&grpComdat == 0 {
		return nil // a non-COMDAT group just keeps its members
	}
	if int(gs.link) != symtab || gs.info > 1<<31 || !r.materialize(gs.info) {
		return errf(name, "group section %d: bad signature symbol %d", i, gs.info)
	}
	sig := g.Symbols[gs.info]
	signature := sig.Name
	if sig.Type == jitlink.SectionSym && sig.Section != nil {
		signature = sig.Section.Name
	}
	grp := jitlink.Group{Signature: signature, Sections: make([]int, 0, len(raw)/4-1)}
	for k := 4; k < len(raw); k += 4 {
		m := int(le.Uint32(raw[k:]))
		if m <= 0 || m >= len(shdrs) {
			return errf(name, "group %s: member section %d out of range", signature, m)
		}
		grp.Sections = append(grp.Sections, m)
	}
	g.Groups = append(g.Groups, grp)
	for _, m := range grp.Sections {
		if sec := g.SectionAt(m); sec != nil {
			sec.Group = int32(len(g.Groups))
		}
	}
	return nil
}
