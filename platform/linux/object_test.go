package linux

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
)

const objSrc = `
extern int ext_var;
extern int ext_func(int);
static int counter;
int global_data = 42;
int bss_arr[100];
const char message[] = "hello";
int common_var __attribute__((common));
__attribute__((weak)) int weak_func(int x) { return x + 1; }
static int local_helper(int x) { return x * counter; }
int use(int x) {
	counter += x;
	return ext_func(x) + ext_var + local_helper(x) + weak_func(x) + message[x & 3] + bss_arr[x];
}
int *addr_of(void) { return &global_data; }
__attribute__((constructor(101))) static void ctor101(void) { counter = 1; }
__attribute__((destructor(300))) static void dtor300(void) { counter = 2; }
__attribute__((constructor)) static void ctor_plain(void) { counter = 3; }
static void old_ctor(void) { counter = 4; }
static void (*ctor_ptr)(void) __attribute__((section(".ctors.00100"), used)) = old_ctor;
static void (*dtor_ptr)(void) __attribute__((section(".dtors.00200"), used)) = old_ctor;
static void (*ctor_plain_ptr)(void) __attribute__((section(".ctors"), used)) = old_ctor;
`

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	return p
}

// build compiles src (C, or C++ when ext is ".cc") with the given compiler and flags and
// returns the object's path and contents.
func build(t *testing.T, compiler, ext, src string, flags ...string) (string, []byte) {
	t.Helper()
	cc := needTool(t, compiler)
	dir := t.TempDir()
	in := filepath.Join(dir, "in"+ext)
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "in.o")
	args := append(append([]string{"-c"}, flags...), in, "-o", out)
	if b, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", compiler, args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, data
}

// wantKinds are the edge kinds the reader must map known relocation types to.
var wantKinds = map[elf.R_X86_64]uint16{
	elf.R_X86_64_64:            x86_64.Pointer64,
	elf.R_X86_64_PC32:          x86_64.Delta32,
	elf.R_X86_64_PLT32:         x86_64.Branch32,
	elf.R_X86_64_GOTPCREL:      x86_64.GOTDelta32,
	elf.R_X86_64_32:            x86_64.Pointer32,
	elf.R_X86_64_32S:           x86_64.Pointer32S,
	elf.R_X86_64_PC64:          x86_64.Delta64,
	elf.R_X86_64_GOTOFF64:      x86_64.GOTOffset64,
	elf.R_X86_64_GOTPC32:       x86_64.GOTBaseDelta32,
	elf.R_X86_64_GOT64:         x86_64.GOTEntryOffset64,
	elf.R_X86_64_GOTPC64:       x86_64.GOTBaseDelta64,
	elf.R_X86_64_PLTOFF64:      x86_64.PLTOffset64,
	elf.R_X86_64_GOTPCRELX:     x86_64.GOTDelta32Relax,
	elf.R_X86_64_REX_GOTPCRELX: x86_64.GOTDelta32RelaxREX,
}

type rela struct {
	off    uint64
	typ    elf.R_X86_64
	sym    uint32
	addend int64
}

func readRelas(t *testing.T, s *elf.Section) []rela {
	t.Helper()
	b, err := s.Data()
	if err != nil {
		t.Fatal(err)
	}
	var out []rela
	for i := 0; i+24 <= len(b); i += 24 {
		info := binary.LittleEndian.Uint64(b[i+8:])
		out = append(out, rela{binary.LittleEndian.Uint64(b[i:]), elf.R_X86_64(uint32(info)), uint32(info >> 32), int64(binary.LittleEndian.Uint64(b[i+16:]))})
	}
	return out
}

// expectedKind is the section kind implied by the name and flags of the sections gcc emits.
func expectedKind(s *elf.Section) (jitlink.SectionKind, bool) {
	n := s.Name
	switch {
	case s.Flags&elf.SHF_ALLOC == 0, s.Type == elf.SHT_NOTE:
		return jitlink.KindNonAlloc, true
	case n == ".eh_frame":
		return jitlink.KindEHFrame, true
	case strings.HasPrefix(n, ".init_array"):
		return jitlink.KindInitArray, true
	case strings.HasPrefix(n, ".fini_array"):
		return jitlink.KindFiniArray, true
	case strings.HasPrefix(n, ".ctors"):
		return jitlink.KindCtors, true
	case strings.HasPrefix(n, ".dtors"):
		return jitlink.KindDtors, true
	case strings.HasPrefix(n, ".tbss"):
		return jitlink.KindTLSZeroFill, true
	case strings.HasPrefix(n, ".tdata"):
		return jitlink.KindTLSData, true
	case strings.HasPrefix(n, ".text"):
		return jitlink.KindCode, true
	case strings.HasPrefix(n, ".bss") || strings.HasPrefix(n, ".lbss"):
		return jitlink.KindZeroFill, true
	case strings.HasPrefix(n, ".data") || strings.HasPrefix(n, ".ldata") || strings.HasPrefix(n, ".data.rel"):
		return jitlink.KindData, true
	case strings.HasPrefix(n, ".rodata") || strings.HasPrefix(n, ".lrodata"):
		return jitlink.KindROData, true
	}
	return 0, false
}

// checkAgainstDebugELF compares the reader's graph with debug/elf's view of the same file and
// returns the relocation types seen.
func checkAgainstDebugELF(t *testing.T, path string, data []byte) (*jitlink.Graph, map[elf.R_X86_64]int) {
	t.Helper()
	g, err := ReadObject(filepath.Base(path), data)
	if err != nil {
		t.Fatalf("ReadObject: %v", err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Sections) != len(f.Sections) {
		t.Fatalf("%d sections, debug/elf has %d", len(g.Sections), len(f.Sections))
	}
	for i, es := range f.Sections {
		sec := g.Sections[i]
		switch es.Type {
		case elf.SHT_NULL, elf.SHT_SYMTAB, elf.SHT_STRTAB, elf.SHT_RELA, elf.SHT_GROUP, elf.SHT_SYMTAB_SHNDX:
			if sec != nil {
				t.Errorf("section %d %s (%v) has a graph section", i, es.Name, es.Type)
			}
			continue
		}
		if sec == nil {
			t.Errorf("section %d %s missing", i, es.Name)
			continue
		}
		if sec.Name != es.Name || sec.Size != es.Size || int(sec.Index) != i || sec.Graph != g {
			t.Errorf("section %d: name %q size %d index %d, debug/elf %q size %d", i, sec.Name, sec.Size, sec.Index, es.Name, es.Size)
		}
		align := es.Addralign
		if align == 0 {
			align = 1
		}
		if sec.Align != align {
			t.Errorf("section %s: align %d, want %d", es.Name, sec.Align, align)
		}
		if es.Type == elf.SHT_NOBITS {
			if sec.Data != nil {
				t.Errorf("section %s: NOBITS with data", es.Name)
			}
		} else if d, _ := es.Data(); !bytes.Equal(sec.Data, d) {
			t.Errorf("section %s: data differs", es.Name)
		}
		if k, ok := expectedKind(es); ok && sec.Kind != k {
			t.Errorf("section %s: kind %v, want %v", es.Name, sec.Kind, k)
		}
		if sec.Merge != (es.Flags&elf.SHF_MERGE != 0) || sec.Strings != (es.Flags&elf.SHF_STRINGS != 0) {
			t.Errorf("section %s: merge %v strings %v, flags %v", es.Name, sec.Merge, sec.Strings, es.Flags)
		}
	}

	// Symbols.
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Symbols) != len(syms)+1 || g.Symbols[0] != nil {
		t.Fatalf("%d symbol slots, debug/elf has %d symbols (+ null)", len(g.Symbols), len(syms))
	}
	// Every relocation's symbol has its slot; locals nothing names are left out, and
	// decoded again by SymbolAt.
	named := map[int]bool{}
	for _, sec := range g.Sections {
		for k := 0; sec != nil && k < sec.NumEdges(); k++ {
			named[int(sec.Edge(k).Target)] = true
		}
	}
	var tmp jitlink.Symbol
	for i, es := range syms {
		quiet := g.Symbols[i+1] == nil
		if quiet && (elf.ST_BIND(es.Info) != elf.STB_LOCAL || elf.ST_TYPE(es.Info) == elf.STT_SECTION || named[i+1]) {
			t.Errorf("symbol %d %s (%v %v) left out", i+1, es.Name, elf.ST_BIND(es.Info), elf.ST_TYPE(es.Info))
		}
		s := g.SymbolAt(i+1, &tmp)
		if s == nil {
			t.Errorf("symbol %d %s missing", i+1, es.Name)
			continue
		}
		name := es.Name
		if elf.ST_TYPE(es.Info) == elf.STT_SECTION {
			name = f.Sections[es.Section].Name
		}
		if s.Name != name || s.Value != es.Value || s.Size != es.Size || s.Graph != g {
			t.Errorf("symbol %d: %q value %#x size %d, debug/elf %q %#x %d", i+1, s.Name, s.Value, s.Size, name, es.Value, es.Size)
		}
		wantBind := map[elf.SymBind]jitlink.Binding{elf.STB_LOCAL: jitlink.Local, elf.STB_GLOBAL: jitlink.Global, elf.STB_WEAK: jitlink.Weak}[elf.ST_BIND(es.Info)]
		if s.Binding != wantBind {
			t.Errorf("symbol %s: binding %v, debug/elf %v", s.Name, s.Binding, elf.ST_BIND(es.Info))
		}
		if s.Visibility != jitlink.Visibility(elf.ST_VISIBILITY(es.Other)) {
			t.Errorf("symbol %s: visibility %v", s.Name, s.Visibility)
		}
		wantType := map[elf.SymType]jitlink.SymType{elf.STT_NOTYPE: jitlink.NoType, elf.STT_OBJECT: jitlink.Object,
			elf.STT_FUNC: jitlink.Func, elf.STT_SECTION: jitlink.SectionSym, elf.STT_FILE: jitlink.FileSym,
			elf.STT_COMMON: jitlink.Object, elf.STT_TLS: jitlink.TLS, elf.STT_GNU_IFUNC: jitlink.IFunc}[elf.ST_TYPE(es.Info)]
		if s.Type != wantType {
			t.Errorf("symbol %s: type %v, debug/elf %v", s.Name, s.Type, elf.ST_TYPE(es.Info))
		}
		switch es.Section {
		case elf.SHN_UNDEF:
			if s.Def != jitlink.Undefined {
				t.Errorf("symbol %s: def %v, want Undefined", s.Name, s.Def)
			}
		case elf.SHN_ABS:
			if s.Def != jitlink.Absolute {
				t.Errorf("symbol %s: def %v, want Absolute", s.Name, s.Def)
			}
		case elf.SHN_COMMON:
			if s.Def != jitlink.Common {
				t.Errorf("symbol %s: def %v, want Common", s.Name, s.Def)
			}
		default:
			if g.Sections[es.Section] != nil && (s.Def != jitlink.Defined || s.Section != g.Sections[es.Section]) {
				t.Errorf("symbol %s: def %v section %v, want Defined in %d", s.Name, s.Def, s.Section, es.Section)
			}
		}
		if (i+1 < g.FirstGlobal) != (elf.ST_BIND(es.Info) == elf.STB_LOCAL) {
			t.Errorf("symbol %s: FirstGlobal %d inconsistent with binding", s.Name, g.FirstGlobal)
		}
	}

	// Relocations.
	seen := map[elf.R_X86_64]int{}
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA {
			continue
		}
		sec := g.Sections[rs.Info]
		if sec == nil {
			continue
		}
		var want []rela
		for _, r := range readRelas(t, rs) {
			if r.typ != elf.R_X86_64_NONE {
				want = append(want, r)
			}
		}
		if sec.NumEdges() != len(want) {
			t.Errorf("section %s: %d edges, debug/elf has %d relocations", sec.Name, sec.NumEdges(), len(want))
			continue
		}
		for k, r := range want {
			e := sec.Edge(k)
			seen[r.typ]++
			if e.Offset != r.off || e.Addend != r.addend || e.Target != r.sym || e.Type != uint16(r.typ) {
				t.Errorf("section %s edge %d: %+v, debug/elf %+v", sec.Name, k, e, r)
			}
			if wk, ok := wantKinds[r.typ]; ok && e.Kind != wk {
				t.Errorf("section %s offset %#x: %v mapped to %s, want %s", sec.Name, r.off, r.typ, x86_64.KindName(e.Kind), x86_64.KindName(wk))
			}
			if RelocName(e.Type) != r.typ.String() {
				t.Errorf("RelocName(%d) = %s, debug/elf %s", e.Type, RelocName(e.Type), r.typ)
			}
		}
	}
	return g, seen
}

func TestReadObjectModes(t *testing.T) {
	modes := []struct {
		name  string
		flags []string
		want  []elf.R_X86_64 // relocation types this mode must produce
	}{
		{"pie", []string{"-O2", "-fPIE"}, []elf.R_X86_64{elf.R_X86_64_PLT32, elf.R_X86_64_PC32}},
		{"pic-noplt", []string{"-O2", "-fPIC", "-fno-plt"}, []elf.R_X86_64{elf.R_X86_64_GOTPCRELX, elf.R_X86_64_REX_GOTPCRELX}},
		{"nopic", []string{"-O2", "-fno-pic"}, []elf.R_X86_64{elf.R_X86_64_32, elf.R_X86_64_32S, elf.R_X86_64_PC32, elf.R_X86_64_PLT32}},
		{"large", []string{"-O2", "-mcmodel=large", "-fno-pic"}, []elf.R_X86_64{elf.R_X86_64_64}},
		{"large-pic", []string{"-O2", "-mcmodel=large", "-fPIC"}, []elf.R_X86_64{elf.R_X86_64_PLTOFF64, elf.R_X86_64_GOTOFF64, elf.R_X86_64_GOTPC64, elf.R_X86_64_GOT64}},
		{"O0g", []string{"-O0", "-g"}, []elf.R_X86_64{elf.R_X86_64_PC32, elf.R_X86_64_32}},
		{"function-sections", []string{"-O2", "-ffunction-sections", "-fdata-sections"}, []elf.R_X86_64{elf.R_X86_64_PLT32}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			path, data := build(t, "gcc", ".c", objSrc, m.flags...)
			g, seen := checkAgainstDebugELF(t, path, data)
			for _, r := range m.want {
				if seen[r] == 0 {
					t.Errorf("no %v relocation (seen %v)", r, seen)
				}
			}
			byName := map[string]*jitlink.Symbol{}
			for i := range g.Symbols {
				var tmp jitlink.Symbol
				if s := g.SymbolAt(i, &tmp); s != nil {
					byName[s.Name] = s
				}
			}
			for name, want := range map[string]struct {
				def jitlink.Def
				b   jitlink.Binding
				typ jitlink.SymType
			}{
				"ext_var":     {jitlink.Undefined, jitlink.Global, jitlink.NoType},
				"ext_func":    {jitlink.Undefined, jitlink.Global, jitlink.NoType},
				"weak_func":   {jitlink.Defined, jitlink.Weak, jitlink.Func},
				"use":         {jitlink.Defined, jitlink.Global, jitlink.Func},
				"global_data": {jitlink.Defined, jitlink.Global, jitlink.Object},
				"common_var":  {jitlink.Common, jitlink.Global, jitlink.Object},
				"counter":     {jitlink.Defined, jitlink.Local, jitlink.Object},
			} {
				s := byName[name]
				if s == nil {
					t.Errorf("no symbol %s", name)
					continue
				}
				if s.Def != want.def || s.Binding != want.b || s.Type != want.typ {
					t.Errorf("%s: def %v binding %v type %v, want %+v", name, s.Def, s.Binding, s.Type, want)
				}
			}
			if c := byName["common_var"]; c != nil && (c.Value != 4 || c.Size != 4) {
				t.Errorf("common_var: alignment %d size %d, want 4 and 4", c.Value, c.Size)
			}
			if fn := byName["use"]; fn != nil && fn.Section != nil {
				if got := g.FuncContaining(fn.Section, fn.Value+1); got != "use" {
					t.Errorf("FuncContaining(use+1) = %q", got)
				}
			}
			checkPriorities(t, g)
		})
	}
}

func checkPriorities(t *testing.T, g *jitlink.Graph) {
	t.Helper()
	want := map[string]struct {
		kind jitlink.SectionKind
		prio int
	}{
		".init_array.00101": {jitlink.KindInitArray, 101},
		".fini_array.00300": {jitlink.KindFiniArray, 300},
		".init_array":       {jitlink.KindInitArray, 65535},
		".ctors.00100":      {jitlink.KindCtors, 65535 - 100},
		".dtors.00200":      {jitlink.KindDtors, 65535 - 200},
		".ctors":            {jitlink.KindCtors, 65535}, // no suffix: the default priority
	}
	found := map[string]bool{}
	for _, s := range g.Sections {
		if s == nil {
			continue
		}
		if w, ok := want[s.Name]; ok {
			found[s.Name] = true
			if s.Kind != w.kind || int(s.Priority) != w.prio {
				t.Errorf("%s: kind %v priority %d, want %v %d", s.Name, s.Kind, s.Priority, w.kind, w.prio)
			}
		}
		if s.Kind == jitlink.KindCode && s.Priority != 65535 {
			t.Errorf("%s: priority %d", s.Name, s.Priority)
		}
	}
	for n := range want {
		if !found[n] {
			t.Errorf("no section %s", n)
		}
	}
}

func TestReadObjectComdat(t *testing.T) {
	src := `inline int twice(int x) { return 2 * x; }
template <typename T> T thrice(T x) { return 3 * x; }
int use(int x) { return twice(x) + thrice(x) + thrice<long>(x); }
`
	path, data := build(t, "g++", ".cc", src, "-O0", "-ffunction-sections")
	g, _ := checkAgainstDebugELF(t, path, data)
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	syms, _ := f.Symbols()
	var groups int
	for _, s := range f.Sections {
		if s.Type != elf.SHT_GROUP {
			continue
		}
		groups++
		b, _ := s.Data()
		sig := syms[s.Info-1].Name
		var members []int
		for k := 4; k+4 <= len(b); k += 4 {
			members = append(members, int(binary.LittleEndian.Uint32(b[k:])))
		}
		var grp *jitlink.Group
		var gi int
		for i := range g.Groups {
			if g.Groups[i].Signature == sig {
				grp, gi = &g.Groups[i], i+1
			}
		}
		if grp == nil {
			t.Errorf("group %s missing (have %+v)", sig, g.Groups)
			continue
		}
		if fmt.Sprint(grp.Sections) != fmt.Sprint(members) {
			t.Errorf("group %s: sections %v, debug/elf %v", sig, grp.Sections, members)
		}
		for _, m := range members {
			if sec := g.Sections[m]; sec != nil && int(sec.Group) != gi {
				t.Errorf("section %s: Group %d, want %d", sec.Name, sec.Group, gi)
			}
		}
	}
	if groups < 3 || len(g.Groups) != groups {
		t.Errorf("%d groups, debug/elf has %d (want at least 3)", len(g.Groups), groups)
	}
	for _, sig := range []string{"_Z5twicei", "_Z6thriceIiET_S0_", "_Z6thriceIlET_S0_"} {
		ok := false
		for _, grp := range g.Groups {
			ok = ok || grp.Signature == sig
		}
		if !ok {
			t.Errorf("no COMDAT group %s", sig)
		}
	}
}

// TestReadObjectCComdat covers a COMDAT group written in assembly and a weak definition in its
// own section.
func TestReadObjectCComdat(t *testing.T) {
	src := `__asm__(".section .text.grouped,\"axG\",@progbits,grouped_sig,comdat\n"
	".globl grouped_sig\n.type grouped_sig,@function\ngrouped_sig: ret\n.previous\n");
__attribute__((weak)) int weak_one(void) { return 1; }
`
	path, data := build(t, "gcc", ".c", src, "-O2", "-ffunction-sections")
	g, _ := checkAgainstDebugELF(t, path, data)
	if len(g.Groups) != 1 || g.Groups[0].Signature != "grouped_sig" || len(g.Groups[0].Sections) != 1 {
		t.Fatalf("groups = %+v", g.Groups)
	}
	if s := g.Sections[g.Groups[0].Sections[0]]; s.Name != ".text.grouped" || s.Group != 1 || s.Kind != jitlink.KindCode {
		t.Errorf("group member %+v", s)
	}
}

// ---- malformed inputs ----

// patcher gives access to the headers of a valid object for corrupting copies of it.
type patcher struct {
	t    *testing.T
	data []byte
	f    *elf.File
}

func newPatcher(t *testing.T) *patcher {
	data, err := os.ReadFile("testdata/seed_pic.o")
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return &patcher{t, data, f}
}

func (p *patcher) copy() []byte { return append([]byte(nil), p.data...) }

// shdr returns the offset of section i's header.
func (p *patcher) shdr(i int) int {
	return int(binary.LittleEndian.Uint64(p.data[40:])) + i*64
}

func (p *patcher) section(typ elf.SectionType, name string) (int, *elf.Section) {
	for i, s := range p.f.Sections {
		if s.Type == typ && (name == "" || s.Name == name) {
			return i, s
		}
	}
	p.t.Fatalf("no %v section %s", typ, name)
	return 0, nil
}

// readSafely runs ReadObject, turning a panic into a test failure.
func readSafely(t *testing.T, name string, data []byte) (g *jitlink.Graph, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("ReadObject panicked: %v", r)
		}
	}()
	return ReadObject(name, data)
}

func TestReadObjectErrors(t *testing.T) {
	p := newPatcher(t)
	le := binary.LittleEndian
	cases := []struct {
		name   string
		data   func() []byte
		expect string
	}{
		{"empty", func() []byte { return nil }, "empty"},
		{"magic only", func() []byte { return []byte("\x7fELF\x02\x01\x01\x00\x00\x00") }, "truncated"},
		{"not ELF", func() []byte {
			return []byte("!<arch>\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
		}, "not an ELF"},
		{"32-bit class", func() []byte { d := p.copy(); d[4] = 1; return d }, "64-bit"},
		{"big-endian", func() []byte { d := p.copy(); d[5] = 2; return d }, "little-endian"},
		{"aarch64", func() []byte { d := p.copy(); le.PutUint16(d[18:], 183); return d }, "AArch64"},
		{"unknown machine", func() []byte { d := p.copy(); le.PutUint16(d[18:], 999); return d }, "machine 999"},
		{"executable", func() []byte { d := p.copy(); le.PutUint16(d[16:], 2); return d }, "ELF type 2"},
		{"shared library", func() []byte { d := p.copy(); le.PutUint16(d[16:], 3); return d }, "shared library"},
		{"shdrs past EOF", func() []byte { d := p.copy(); le.PutUint64(d[40:], uint64(len(d))+100); return d }, "past the end"},
		{"shdrs straddle EOF", func() []byte { d := p.copy(); le.PutUint64(d[40:], uint64(len(d))-32); return d }, "past the end"},
		{"too many sections", func() []byte { d := p.copy(); le.PutUint16(d[60:], 1000); return d }, "past the end"},
		{"bad shentsize", func() []byte { d := p.copy(); le.PutUint16(d[58:], 40); return d }, "section header size"},
		{"bad shstrndx", func() []byte { d := p.copy(); le.PutUint16(d[62:], 500); return d }, "section name table"},
		{"section contents past EOF", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_PROGBITS, ".text")
			le.PutUint64(d[p.shdr(i)+32:], 1<<40)
			return d
		}, "past the end"},
		{"section name out of range", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_PROGBITS, ".text")
			le.PutUint32(d[p.shdr(i):], 0xfffff)
			return d
		}, "name offset"},
		{"alignment not a power of two", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_PROGBITS, ".text")
			le.PutUint64(d[p.shdr(i)+48:], 3)
			return d
		}, "power of two"},
		{"symbol name out of range", func() []byte {
			d := p.copy()
			_, st := p.section(elf.SHT_SYMTAB, "")
			le.PutUint32(d[st.Offset+24:], 0xffffff) // symbol 1
			return d
		}, "name offset 16777215 out of range"},
		{"symbol section out of range", func() []byte {
			d := p.copy()
			_, st := p.section(elf.SHT_SYMTAB, "")
			n := int(st.Size / 24)
			le.PutUint16(d[int(st.Offset)+(n-1)*24+6:], 0x7000) // last symbol
			return d
		}, "out of range"},
		{"symbol bad binding", func() []byte {
			d := p.copy()
			_, st := p.section(elf.SHT_SYMTAB, "")
			d[st.Offset+24+4] = 5<<4 | d[st.Offset+24+4]&0xf
			return d
		}, "unknown binding"},
		{"symtab entsize", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_SYMTAB, "")
			le.PutUint64(d[p.shdr(i)+56:], 16)
			return d
		}, "entry size"},
		{"reloc symbol out of range", func() []byte {
			d := p.copy()
			_, rs := p.section(elf.SHT_RELA, ".rela.text")
			info := le.Uint64(d[rs.Offset+8:])
			le.PutUint64(d[rs.Offset+8:], uint64(0xffff)<<32|info&0xffffffff)
			return d
		}, "bad symbol index 65535"},
		{"reloc symbol zero", func() []byte {
			d := p.copy()
			_, rs := p.section(elf.SHT_RELA, ".rela.text")
			info := le.Uint64(d[rs.Offset+8:])
			le.PutUint64(d[rs.Offset+8:], info&0xffffffff)
			return d
		}, "bad symbol index 0"},
		{"reloc offset outside section", func() []byte {
			d := p.copy()
			_, rs := p.section(elf.SHT_RELA, ".rela.text")
			_, text := p.section(elf.SHT_PROGBITS, ".text")
			le.PutUint64(d[rs.Offset:], text.Size-2) // a 4-byte fixup 2 bytes before the end
			return d
		}, "outside the section"},
		{"reloc offset huge", func() []byte {
			d := p.copy()
			_, rs := p.section(elf.SHT_RELA, ".rela.text")
			le.PutUint64(d[rs.Offset:], ^uint64(0)-1)
			return d
		}, "outside the section"},
		{"unsupported reloc type", func() []byte {
			d := p.copy()
			_, rs := p.section(elf.SHT_RELA, ".rela.text")
			info := le.Uint64(d[rs.Offset+8:])
			le.PutUint64(d[rs.Offset+8:], info&^0xffffffff|37) // R_X86_64_IRELATIVE
			return d
		}, "R_X86_64_IRELATIVE"},
		{"reloc target out of range", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_RELA, ".rela.text")
			le.PutUint32(d[p.shdr(i)+44:], 900)
			return d
		}, "out of range"},
		{"reloc entsize", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_RELA, ".rela.text")
			le.PutUint64(d[p.shdr(i)+56:], 16)
			return d
		}, "entry size"},
		{"SHT_REL", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_RELA, ".rela.text")
			le.PutUint32(d[p.shdr(i)+4:], uint32(elf.SHT_REL))
			return d
		}, "SHT_REL"},
		{"two symbol tables", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_STRTAB, ".strtab")
			le.PutUint32(d[p.shdr(i)+4:], uint32(elf.SHT_SYMTAB))
			return d
		}, "more than one symbol table"},
		{"LTO", func() []byte {
			d := p.copy()
			i, _ := p.section(elf.SHT_PROGBITS, ".text")
			// Rename .text by writing a new name over the start of the section name table.
			_, shstr := p.section(elf.SHT_STRTAB, ".shstrtab")
			copy(d[shstr.Offset+1:], ".gnu.lto_x\x00")
			le.PutUint32(d[p.shdr(i):], 1)
			return d
		}, "LTO"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := readSafely(t, "bad.o", c.data())
			if err == nil {
				t.Fatalf("no error (graph with %d sections)", len(g.Sections))
			}
			if g != nil {
				t.Errorf("graph returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "bad.o: ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if !strings.Contains(err.Error(), c.expect) {
				t.Errorf("error %q does not contain %q", err, c.expect)
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.File != "bad.o" {
				t.Errorf("error %T is not a *FormatError for bad.o", err)
			}
		})
	}
}

func TestReadObject32Bit(t *testing.T) {
	cc := needTool(t, "gcc")
	dir := t.TempDir()
	src := filepath.Join(dir, "x.c")
	os.WriteFile(src, []byte("int f(void) { return 1; }\n"), 0o644)
	obj := filepath.Join(dir, "x32.o")
	if out, err := exec.Command(cc, "-m32", "-c", src, "-o", obj).CombinedOutput(); err != nil {
		t.Skipf("gcc -m32 does not work: %v\n%s", err, out)
	}
	data, err := os.ReadFile(obj)
	if err != nil {
		t.Fatal(err)
	}
	_, err = readSafely(t, "x32.o", data)
	if err == nil || !strings.Contains(err.Error(), "x32.o") || !strings.Contains(err.Error(), "64-bit") {
		t.Errorf("err = %v, want a 64-bit class error naming x32.o", err)
	}
}

// The committed fuzz seeds read cleanly and agree with debug/elf.
func TestReadObjectSeeds(t *testing.T) {
	for _, name := range []string{"seed_pic.o", "seed_nopic.o", "seed_large.o"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstDebugELF(t, name, data)
	}
}

// TestReadObjectRelaForms covers how a section's relocations are kept: as a view of the
// input's records (Section.Rela), decoded to Edges when an R_X86_64_NONE must be dropped,
// and concatenated when two relocation sections target one section (patched in here:
// assemblers never emit that, ld -r output may).
func TestReadObjectRelaForms(t *testing.T) {
	src := `	.text
	.globl f
f:	call g
	call g
	nop
	.reloc ., R_X86_64_NONE, g
	ret
	.fill 16, 1, 0xcc
	.data
	.globl d
d:	.quad g
	.quad g+8
`
	path, data := build(t, "gcc", ".s", src)
	g, seen := checkAgainstDebugELF(t, path, data)
	if seen[elf.R_X86_64_NONE] != 0 {
		t.Fatalf("R_X86_64_NONE counted as an edge: %v", seen)
	}
	var text, dsec *jitlink.Section
	for _, s := range g.Sections {
		if s != nil && s.Name == ".text" {
			text = s
		}
		if s != nil && s.Name == ".data" {
			dsec = s
		}
	}
	if text == nil || dsec == nil {
		t.Fatal("no .text or .data")
	}
	if text.Rela != nil || text.NumEdges() != 2 {
		t.Errorf(".text (with an R_X86_64_NONE): Rela %d bytes, %d edges; want decoded, 2", len(text.Rela), text.NumEdges())
	}
	if dsec.Rela == nil || len(dsec.Edges) != 0 || dsec.NumEdges() != 2 {
		t.Errorf(".data: Rela %d bytes, %d decoded edges, %d in all; want the input's 2 records", len(dsec.Rela), len(dsec.Edges), dsec.NumEdges())
	}
	if e := dsec.Edge(1); e.Offset != 8 || e.Addend != 8 || e.Kind != x86_64.Pointer64 || g.Symbols[e.Target].Name != "g" {
		t.Errorf(".data edge 1: %+v", e)
	}

	// .rela.data retargeted at .text: .text gets its own two edges, then .data's two.
	p := &patcher{t: t, data: data}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p.f = f
	ti, _ := p.section(elf.SHT_PROGBITS, ".text")
	ri, _ := p.section(elf.SHT_RELA, ".rela.data")
	patched := p.copy()
	binary.LittleEndian.PutUint32(patched[p.shdr(ri)+44:], uint32(ti)) // sh_info
	g2, err := readSafely(t, "patched.o", patched)
	if err != nil {
		t.Fatal(err)
	}
	text2 := g2.Sections[ti]
	if text2.NumEdges() != 4 {
		t.Fatalf(".text with two relocation sections: %d edges, want 4", text2.NumEdges())
	}
	for k, want := range []struct {
		off  uint64
		kind uint16
	}{{1, x86_64.Branch32}, {6, x86_64.Branch32}, {0, x86_64.Pointer64}, {8, x86_64.Pointer64}} {
		if e := text2.Edge(k); e.Offset != want.off || e.Kind != want.kind {
			t.Errorf(".text edge %d: offset %#x kind %s, want %#x %s", k, e.Offset, x86_64.KindName(e.Kind), want.off, x86_64.KindName(want.kind))
		}
	}
}
