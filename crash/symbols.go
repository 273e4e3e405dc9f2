package crash

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ianlancetaylor/demangle"

	"github.com/jitrun/jitrun/unwind"
)

// symFile is one ELF file (or in-memory image) used for symbolication: its symbol table,
// DWARF (line tables, inlined subroutines), Go line table and call frame information, each
// read when first needed. Addresses are the file's own (virtual addresses; a module's bias
// turns them into run-time addresses).
type symFile struct {
	path string
	f    *elf.File
	rel  bool // ET_REL with sections at their load addresses (a GDB JIT image)

	symOnce sync.Once
	syms    []elfSym // functions and objects, by address

	dwOnce      sync.Once
	dw          *dwarf.Data
	cus         []cuRange
	cusComplete bool // cus has every unit's ranges (not only .debug_aranges')
	cuInfo      map[dwarf.Offset]*cuInfo

	goOnce sync.Once
	goTab  *gosym.Table
	goLo   uint64
	goHi   uint64
}

type elfSym struct {
	addr, size uint64
	name       string
	fn         bool
}

type cuRange struct {
	lo, hi uint64
	off    dwarf.Offset
}

type cuInfo struct {
	entry  *dwarf.Entry
	files  []*dwarf.LineFile
	lr     *dwarf.LineReader
	scopes []scope
	done   bool
}

// scope is a subprogram or inlined subroutine: its ranges, nesting and names.
type scope struct {
	ranges   [][2]uint64
	depth    int
	name     string
	inlined  bool
	callFile int
	callLine int
	callCol  int
}

func openSymFile(path string) (*symFile, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	return &symFile{path: path, f: f}, nil
}

func newSymFileFromBytes(name string, b []byte) (*symFile, error) {
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return &symFile{path: name, f: f, rel: f.Type == elf.ET_REL}, nil
}

// buildID returns the file's GNU build id (hex), or "".
func (s *symFile) buildID() string { return elfBuildID(s.f) }

func elfBuildID(f *elf.File) string {
	parse := func(d []byte) string {
		for len(d) >= 12 {
			nsz := binary.LittleEndian.Uint32(d)
			dsz := binary.LittleEndian.Uint32(d[4:])
			typ := binary.LittleEndian.Uint32(d[8:])
			nameEnd := 12 + (uint64(nsz)+3)&^3
			descEnd := nameEnd + (uint64(dsz)+3)&^3
			if nameEnd > uint64(len(d)) || 12+uint64(nsz) > uint64(len(d)) || nameEnd+uint64(dsz) > uint64(len(d)) {
				return ""
			}
			if typ == 3 && nsz == 4 && string(d[12:15]) == "GNU" {
				return hex.EncodeToString(d[nameEnd : nameEnd+uint64(dsz)])
			}
			if descEnd > uint64(len(d)) {
				return ""
			}
			d = d[descEnd:]
		}
		return ""
	}
	for _, s := range f.Sections {
		if s.Type == elf.SHT_NOTE {
			if d, err := s.Data(); err == nil {
				if id := parse(d); id != "" {
					return id
				}
			}
		}
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_NOTE {
			d := make([]byte, p.Filesz)
			if _, err := p.ReadAt(d, 0); err == nil {
				if id := parse(d); id != "" {
					return id
				}
			}
		}
	}
	return ""
}

// symbols loads the symbol tables (.symtab and .dynsym).
func (s *symFile) symbols() []elfSym {
	s.symOnce.Do(func() {
		var all []elf.Symbol
		if ss, err := s.f.Symbols(); err == nil {
			all = append(all, ss...)
		}
		if ds, err := s.f.DynamicSymbols(); err == nil {
			all = append(all, ds...)
		}
		for _, sym := range all {
			t := elf.ST_TYPE(sym.Info)
			if t != elf.STT_FUNC && t != elf.STT_OBJECT && t != elf.STT_GNU_IFUNC && t != elf.STT_NOTYPE {
				continue
			}
			if sym.Section == elf.SHN_UNDEF || sym.Name == "" || (t == elf.STT_NOTYPE && sym.Size == 0) {
				continue
			}
			addr := sym.Value
			if s.rel {
				i := int(sym.Section)
				if i <= 0 || i >= len(s.f.Sections) {
					continue
				}
				addr += s.f.Sections[i].Addr
			}
			if t == elf.STT_NOTYPE && !strings.HasPrefix(sym.Name, "$") {
				t = elf.STT_FUNC // assembly labels in text
			}
			s.syms = append(s.syms, elfSym{addr: addr, size: sym.Size, name: sym.Name, fn: t != elf.STT_OBJECT})
		}
		sort.SliceStable(s.syms, func(i, j int) bool {
			a, b := s.syms[i], s.syms[j]
			if a.addr != b.addr {
				return a.addr < b.addr
			}
			// At one address prefer sized symbols and plain names (aliases: __GI_*).
			if (a.size == 0) != (b.size == 0) {
				return a.size != 0
			}
			return symRank(a.name) < symRank(b.name)
		})
	})
	return s.syms
}

func symRank(n string) int {
	switch {
	case strings.HasPrefix(n, "__GI_"), strings.HasPrefix(n, "__libc_"):
		return 10
	case strings.HasPrefix(n, "_Z"):
		return 0
	}
	return len(n) - len(strings.TrimLeft(n, "_")) // fewer leading underscores first
}

// lookupSym returns the symbol containing addr (a function if fn, else an object), or nil.
// A sized symbol must contain addr; an unsized one (an assembly label) is taken when no sized
// symbol below addr contains it and it is less than 64 KiB away.
func (s *symFile) lookupSym(addr uint64, fn bool) *elfSym {
	syms := s.symbols()
	i := sort.Search(len(syms), func(i int) bool { return syms[i].addr > addr }) - 1
	var unsized *elfSym
	for k := i; k >= 0 && k > i-64; k-- {
		c := &syms[k]
		if c.fn != fn {
			continue
		}
		if c.size == 0 {
			if unsized == nil && addr-c.addr < 1<<16 {
				unsized = c
			}
			continue
		}
		if addr < c.addr+c.size {
			for k > 0 && syms[k-1].addr == c.addr && syms[k-1].fn == fn && syms[k-1].size > 0 {
				k--
				c = &syms[k]
			}
			return c
		}
	}
	return unsized
}

// dwarf loads the DWARF sections and indexes the compilation units by address.
func (s *symFile) dwarf() *dwarf.Data {
	s.dwOnce.Do(func() {
		d, aranges, info := loadDWARF(s.f)
		if d == nil {
			return
		}
		s.dw = d
		s.cuInfo = map[dwarf.Offset]*cuInfo{}
		// .debug_aranges maps addresses to units without reading them; an address it does
		// not cover falls back to the units' own ranges (cuFor).
		if s.cus = parseAranges(aranges, info); len(s.cus) > 0 {
			sort.Slice(s.cus, func(i, j int) bool { return s.cus[i].lo < s.cus[j].lo })
			return
		}
		s.indexUnits()
	})
	return s.dw
}

// indexUnits indexes every compilation unit by its address ranges.
func (s *symFile) indexUnits() {
	s.cusComplete = true
	s.cus = s.cus[:0]
	d := s.dw
	{
		r := d.Reader()
		for {
			e, err := r.Next()
			if err != nil || e == nil {
				break
			}
			if e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit {
				if rs, err := d.Ranges(e); err == nil {
					for _, rg := range rs {
						if rg[1] > rg[0] {
							s.cus = append(s.cus, cuRange{rg[0], rg[1], e.Offset})
						}
					}
				}
			}
			r.SkipChildren()
		}
		sort.Slice(s.cus, func(i, j int) bool { return s.cus[i].lo < s.cus[j].lo })
	}
}

// parseAranges reads .debug_aranges: address ranges and the unit each belongs to (the offset
// of the unit's first entry, past its header in info).
func parseAranges(b, info []byte) []cuRange {
	var out []cuRange
	for len(b) >= 16 {
		length := uint64(binary.LittleEndian.Uint32(b))
		hdr := 4
		is64 := false
		if length == 0xffffffff {
			if len(b) < 12 {
				return nil
			}
			length = binary.LittleEndian.Uint64(b[4:])
			hdr, is64 = 12, true
		}
		if length > uint64(len(b)-hdr) || length < 8 {
			return nil
		}
		set := b[:hdr+int(length)]
		b = b[hdr+int(length):]
		p := hdr + 2 // version
		var off uint64
		if is64 {
			if len(set) < p+8 {
				return nil
			}
			off = binary.LittleEndian.Uint64(set[p:])
			p += 8
		} else {
			if len(set) < p+4 {
				return nil
			}
			off = uint64(binary.LittleEndian.Uint32(set[p:]))
			p += 4
		}
		if len(set) < p+2 || set[p] != 8 || set[p+1] != 0 {
			return nil // only 8-byte addresses, no segments
		}
		p += 2
		p = (p + 15) &^ 15 // tuples are aligned to twice the address size
		for p+16 <= len(set) {
			lo := binary.LittleEndian.Uint64(set[p:])
			n := binary.LittleEndian.Uint64(set[p+8:])
			p += 16
			if lo == 0 && n == 0 {
				break
			}
			if n > 0 && lo+n > lo {
				die, ok := firstEntry(info, off)
				if !ok {
					return nil
				}
				out = append(out, cuRange{lo, lo + n, die})
			}
		}
	}
	return out
}

// firstEntry returns the offset of a compile unit's first entry from its header's.
func firstEntry(info []byte, off uint64) (dwarf.Offset, bool) {
	if off+12 > uint64(len(info)) {
		return 0, false
	}
	p := off + 4
	offSize := uint64(4)
	if binary.LittleEndian.Uint32(info[off:]) == 0xffffffff {
		p, offSize = off+12, 8
	}
	if p+2 > uint64(len(info)) {
		return 0, false
	}
	switch binary.LittleEndian.Uint16(info[p:]) {
	case 2, 3, 4: // version, abbrev offset, address size
		return dwarf.Offset(p + 2 + offSize + 1), true
	case 5: // version, unit type, address size, abbrev offset
		if p+3 > uint64(len(info)) || info[p+2] != 1 && info[p+2] != 3 { // DW_UT_compile, DW_UT_partial
			return 0, false
		}
		return dwarf.Offset(p + 2 + 2 + offSize), true
	}
	return 0, false
}

// loadDWARF reads the DWARF sections symbolication needs (not location lists, macros or
// frames), decompressing them in parallel.
func loadDWARF(f *elf.File) (*dwarf.Data, []byte, []byte) {
	names := []string{"abbrev", "aranges", "info", "line", "ranges", "str", "addr", "line_str", "str_offsets", "rnglists"}
	data := make([][]byte, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		sec := f.Section(".debug_" + n)
		if sec == nil || sec.Type == elf.SHT_NOBITS {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b, err := sec.Data(); err == nil {
				data[i] = b
			}
		}()
	}
	wg.Wait()
	if data[2] == nil || data[0] == nil {
		return nil, nil, nil
	}
	d, err := dwarf.New(data[0], data[1], nil, data[2], data[3], nil, data[4], data[5])
	if err != nil {
		return nil, nil, nil
	}
	for i := 6; i < len(names); i++ {
		if data[i] != nil {
			if err := d.AddSection(".debug_"+names[i], data[i]); err != nil {
				return nil, nil, nil
			}
		}
	}
	return d, data[1], data[2]
}

// firstCUName is the base name of the first compilation unit, or "".
func (s *symFile) firstCUName() string {
	d := s.dwarf()
	if d == nil {
		return ""
	}
	e, err := d.Reader().Next()
	if err != nil || e == nil {
		return ""
	}
	n, _ := e.Val(dwarf.AttrName).(string)
	return filepath.Base(n)
}

func (s *symFile) cuFor(addr uint64) *cuInfo {
	d := s.dwarf()
	if d == nil {
		return nil
	}
	i := sort.Search(len(s.cus), func(i int) bool { return s.cus[i].lo > addr }) - 1
	var off dwarf.Offset
	found := false
	for k := i; k >= 0 && k > i-32; k-- {
		if addr >= s.cus[k].lo && addr < s.cus[k].hi {
			off, found = s.cus[k].off, true
			break
		}
	}
	if !found {
		if s.cusComplete {
			return nil
		}
		s.indexUnits()
		return s.cuFor(addr)
	}
	if ci := s.cuInfo[off]; ci != nil {
		return ci
	}
	r := d.Reader()
	r.Seek(off)
	e, err := r.Next()
	if err != nil || e == nil {
		return nil
	}
	ci := &cuInfo{entry: e}
	if lr, err := d.LineReader(e); err == nil && lr != nil {
		ci.lr = lr
		ci.files = lr.Files()
	}
	s.cuInfo[off] = ci
	return ci
}

// loadScopes reads the subprograms and inlined subroutines of a compilation unit.
func (s *symFile) loadScopes(ci *cuInfo) {
	if ci.done {
		return
	}
	ci.done = true
	d := s.dw
	r := d.Reader()
	r.Seek(ci.entry.Offset)
	if _, err := r.Next(); err != nil || !ci.entry.Children {
		return
	}
	depth := 1
	for depth > 0 && len(ci.scopes) < 1<<20 {
		e, err := r.Next()
		if err != nil || e == nil {
			return
		}
		if e.Tag == 0 {
			depth--
			continue
		}
		if e.Tag == dwarf.TagSubprogram || e.Tag == dwarf.TagInlinedSubroutine {
			if rs, err := d.Ranges(e); err == nil && len(rs) > 0 {
				sc := scope{ranges: rs, depth: depth, name: s.dieName(e, 0), inlined: e.Tag == dwarf.TagInlinedSubroutine}
				if sc.inlined {
					sc.callFile = intAttr(e, dwarf.AttrCallFile)
					sc.callLine = intAttr(e, dwarf.AttrCallLine)
					sc.callCol = intAttr(e, dwarf.AttrCallColumn)
				}
				ci.scopes = append(ci.scopes, sc)
			}
		}
		if e.Children {
			switch e.Tag {
			case dwarf.TagSubprogram, dwarf.TagInlinedSubroutine, dwarf.TagLexDwarfBlock,
				dwarf.TagNamespace, dwarf.TagClassType, dwarf.TagStructType, dwarf.TagUnionType,
				dwarf.TagModule:
				depth++
			default:
				r.SkipChildren()
			}
		}
	}
}

func intAttr(e *dwarf.Entry, a dwarf.Attr) int {
	switch v := e.Val(a).(type) {
	case int64:
		return int(v)
	case uint64:
		return int(v)
	}
	return 0
}

// dieName is a function's name: its linkage name demangled, else its qualified name,
// following DW_AT_abstract_origin and DW_AT_specification.
func (s *symFile) dieName(e *dwarf.Entry, depth int) string {
	if n, ok := e.Val(dwarf.AttrLinkageName).(string); ok && n != "" {
		return demangleName(n)
	}
	if n, ok := e.Val(dwarf.Attr(0x2007)).(string); ok && n != "" { // DW_AT_MIPS_linkage_name
		return demangleName(n)
	}
	if depth < 4 {
		for _, a := range []dwarf.Attr{dwarf.AttrAbstractOrigin, dwarf.AttrSpecification} {
			if off, ok := e.Val(a).(dwarf.Offset); ok {
				r := s.dw.Reader()
				r.Seek(off)
				if o, err := r.Next(); err == nil && o != nil {
					if n := s.dieName(o, depth+1); n != "" {
						return n
					}
				}
			}
		}
	}
	n, _ := e.Val(dwarf.AttrName).(string)
	return n
}

func demangleName(n string) string {
	if strings.HasPrefix(n, "_Z") {
		return demangle.Filter(n)
	}
	return n
}

// Loc is one source location of an address: a function (inlined or not) and where.
type Loc struct {
	Function string
	File     string
	Line     int
	Column   int
	Inlined  bool
}

// lines returns the source locations of addr, innermost (inlined) first, from DWARF.
func (s *symFile) lines(addr uint64) []Loc {
	ci := s.cuFor(addr)
	if ci == nil {
		return nil
	}
	var le dwarf.LineEntry
	var file string
	var line, col int
	if ci.lr != nil {
		if err := ci.lr.SeekPC(addr, &le); err == nil {
			if le.File != nil {
				file = le.File.Name
			}
			line, col = le.Line, le.Column
		}
	}
	s.loadScopes(ci)
	// The chain of scopes containing addr, outermost first.
	var chain []*scope
	for i := range ci.scopes {
		sc := &ci.scopes[i]
		if !inRanges(sc.ranges, addr) {
			continue
		}
		for len(chain) > 0 && chain[len(chain)-1].depth >= sc.depth {
			chain = chain[:len(chain)-1]
		}
		chain = append(chain, sc)
	}
	// Skip leading inlined entries with no enclosing subprogram (should not happen).
	if len(chain) == 0 {
		if file == "" {
			return nil
		}
		return []Loc{{File: file, Line: line, Column: col}}
	}
	out := make([]Loc, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		sc := chain[i]
		loc := Loc{Function: sc.name, Inlined: sc.inlined}
		if i == len(chain)-1 {
			loc.File, loc.Line, loc.Column = file, line, col
		} else {
			inner := chain[i+1]
			loc.File = fileName(ci.files, inner.callFile)
			loc.Line, loc.Column = inner.callLine, inner.callCol
		}
		out = append(out, loc)
	}
	return out
}

func fileName(files []*dwarf.LineFile, i int) string {
	if i >= 0 && i < len(files) && files[i] != nil {
		return files[i].Name
	}
	return ""
}

func inRanges(rs [][2]uint64, a uint64) bool {
	for _, r := range rs {
		if a >= r[0] && a < r[1] {
			return true
		}
	}
	return false
}

// goTable loads the Go line table (.gopclntab) of an executable built by Go, whose
// runtime.text is text (0: from the symbol table).
func (s *symFile) goTable(text uint64) *gosym.Table {
	s.goOnce.Do(func() {
		sec := s.f.Section(".gopclntab")
		if sec == nil {
			return
		}
		data, err := sec.Data()
		if err != nil {
			return
		}
		if text == 0 {
			for _, sym := range s.symbols() {
				if sym.name == "runtime.text" {
					text = sym.addr
				}
			}
		}
		if text == 0 {
			return
		}
		t, err := gosym.NewTable(nil, gosym.NewLineTable(data, text))
		if err != nil || len(t.Funcs) == 0 {
			return
		}
		s.goTab = t
		s.goLo = t.Funcs[0].Entry
		s.goHi = t.Funcs[len(t.Funcs)-1].End
	})
	return s.goTab
}

// goLine returns the Go function and source line of pc, if pc is Go code.
func (s *symFile) goLine(pc uint64) (Loc, bool) {
	t := s.goTab
	if t == nil || pc < s.goLo || pc >= s.goHi {
		return Loc{}, false
	}
	file, line, fn := t.PCToLine(pc)
	if fn == nil {
		return Loc{}, false
	}
	return Loc{Function: fn.Name, File: file, Line: line}, true
}

// goFunc returns the entry of the Go function containing pc.
func (s *symFile) goFunc(pc uint64) (string, uint64, bool) {
	t := s.goTab
	if t == nil || pc < s.goLo || pc >= s.goHi {
		return "", 0, false
	}
	fn := t.PCToFunc(pc)
	if fn == nil {
		return "", 0, false
	}
	return fn.Name, fn.Entry, true
}

// cfi builds the call frame table of the file's .eh_frame (at its file address plus bias)
// and, if it has one, .debug_frame.
func (s *symFile) cfi(bias uint64) *unwind.Table {
	t := &unwind.Table{}
	if sec := s.f.Section(".eh_frame"); sec != nil && sec.Type != elf.SHT_NOBITS {
		if d, err := sec.Data(); err == nil {
			t.AddEHFrame(d, sec.Addr+bias, bias)
		}
	}
	if sec := s.f.Section(".debug_frame"); sec != nil && sec.Type != elf.SHT_NOBITS {
		if d, err := sec.Data(); err == nil {
			t.AddDebugFrame(d, bias)
		}
	}
	return t
}

// debugFileByBuildID finds a separate debug file named by build id under dirs.
func debugFileByBuildID(dirs []string, id string) string {
	if len(id) < 4 {
		return ""
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, ".build-id", id[:2], id[2:]+".debug")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}
