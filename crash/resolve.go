package crash

import (
	"debug/elf"
	"sync"

	"github.com/jitrun/jitrun/unwind"
)

// modSyms symbolicates the addresses of one module and holds its call frame information.
type modSyms struct {
	m   *Module
	sym *symFile // symbol table and CFI: the loaded file or in-memory image
	dbg *symFile // DWARF and full symbol table: a separate debug file, or nil
	// host: jitrun itself. Its Go functions are named by Go's line table; its DWARF is not
	// read (jitrun's own C frames are named well enough by the symbol table).
	host   bool
	goText uint64

	cfiOnce sync.Once
	table   *unwind.Table
	cache   map[symKey][]Symbol
}

type symKey struct {
	pc    uint64
	exact bool
}

// cfiTable returns the module's call frame information (built on first use).
func (ms *modSyms) cfiTable() *unwind.Table {
	ms.cfiOnce.Do(func() {
		if ms.sym != nil {
			ms.table = ms.sym.cfi(uint64(ms.m.Bias))
		}
		if (ms.table == nil || ms.table.Len() == 0) && ms.dbg != nil {
			ms.table = ms.dbg.cfi(uint64(ms.m.Bias))
		}
	})
	return ms.table
}

// symbolize returns the source locations of a frame's pc (exact: not a return address).
func (ms *modSyms) symbolize(pc uint64, exact bool) []Symbol {
	k := symKey{pc, exact}
	if s, ok := ms.cache[k]; ok {
		return s
	}
	s := ms.lookup(pc, exact)
	if ms.cache == nil {
		ms.cache = map[symKey][]Symbol{}
	}
	ms.cache[k] = s
	return s
}

func (ms *modSyms) lookup(pc uint64, exact bool) []Symbol {
	addr := pc - uint64(ms.m.Bias)
	look := addr
	if !exact && look > 0 {
		look--
	}
	if ms.host && ms.sym != nil {
		ms.sym.goTable(ms.goText)
		if loc, ok := ms.sym.goLine(look); ok {
			s := Symbol{Function: loc.Function, File: loc.File, Line: loc.Line}
			if _, entry, ok := ms.sym.goFunc(look); ok {
				s.Offset = hexp(addr - entry)
			}
			return []Symbol{s}
		}
	}
	var locs []Loc
	if !ms.host {
		for _, f := range []*symFile{ms.dbg, ms.sym} {
			if f != nil && f.dwarf() != nil {
				if locs = f.lines(look); len(locs) > 0 {
					break
				}
			}
		}
	}
	var sym *elfSym
	for _, f := range []*symFile{ms.dbg, ms.sym} {
		if f != nil {
			if sym = f.lookupSym(look, true); sym != nil {
				break
			}
		}
	}
	out := make([]Symbol, 0, len(locs)+1)
	for _, l := range locs {
		out = append(out, Symbol{Function: l.Function, File: l.File, Line: l.Line, Column: l.Column, Inlined: l.Inlined})
	}
	if len(out) == 0 {
		if sym == nil {
			return nil
		}
		out = append(out, Symbol{})
	}
	last := &out[len(out)-1]
	last.Inlined = false
	if sym != nil {
		last.Function = demangleName(sym.name)
		last.Offset = hexp(addr - sym.addr)
	}
	return out
}

// objectAt names the data symbol containing a run-time address, if any.
func (ms *modSyms) objectAt(a uint64) (string, uint64, bool) {
	addr := a - uint64(ms.m.Bias)
	for _, f := range []*symFile{ms.dbg, ms.sym} {
		if f == nil {
			continue
		}
		if s := f.lookupSym(addr, false); s != nil {
			return demangleName(s.name), addr - s.addr, true
		}
	}
	return "", 0, false
}

// mappingsOfImage lists an in-memory image's allocated sections as mappings (merged when
// adjacent with the same permissions).
func mappingsOfImage(f *elf.File) []Mapping {
	var out []Mapping
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 || s.Addr == 0 {
			continue
		}
		perm := "r--"
		if s.Flags&elf.SHF_EXECINSTR != 0 {
			perm = "r-x"
		} else if s.Flags&elf.SHF_WRITE != 0 {
			perm = "rw-"
		}
		if n := len(out); n > 0 && out[n-1].End == Hex(s.Addr) && out[n-1].Perm == perm {
			out[n-1].End = Hex(s.Addr + s.Size)
			continue
		}
		out = append(out, Mapping{Start: Hex(s.Addr), End: Hex(s.Addr + s.Size), Perm: perm})
	}
	return out
}
