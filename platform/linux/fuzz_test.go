package linux

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
)

// seeds returns the committed seed files of testdata matching pattern, plus variants with
// header fields corrupted, so the fuzzer starts close to the interesting checks.
func seeds(f *testing.F, pattern string) {
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds %s: %v", pattern, err)
	}
	f.Add([]byte{})
	f.Add([]byte("\x7fELF\x02\x01\x01\x00\x00\x00"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		shoff := binary.LittleEndian.Uint64(data[40:])
		for _, m := range []struct {
			off int
			b   []byte
		}{
			{60, []byte{0, 0}},                                     // e_shnum 0: count from section 0
			{62, []byte{0xff, 0xff}},                               // e_shstrndx SHN_XINDEX
			{40, []byte{0xff, 0xff}},                               // e_shoff garbage
			{int(shoff) + 64 + 32, []byte{0xff, 0xff, 0xff, 0xff}}, // section 1 size
			{int(shoff) + 64 + 4, []byte{9, 0, 0, 0}},              // section 1 SHT_REL
		} {
			d := append([]byte(nil), data...)
			if m.off >= 0 && m.off+len(m.b) <= len(d) {
				copy(d[m.off:], m.b)
				f.Add(d)
			}
		}
		f.Add(data[:len(data)/2])
	}
}

// checkErr requires errors to be *FormatError naming the file.
func checkErr(t *testing.T, file string, err error) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) && !strings.Contains(err.Error(), file) {
		t.Fatalf("error %T %q is neither a *FormatError nor names %s", err, err, file)
	}
	if fe != nil && fe.File != file {
		t.Fatalf("FormatError names %q, want %q", fe.File, file)
	}
}

func FuzzReadObject(f *testing.F) {
	seeds(f, "*.o")
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ReadObject("fuzz.o", data)
		if err != nil {
			checkErr(t, "fuzz.o", err)
			if g != nil {
				t.Fatal("graph returned with an error")
			}
			return
		}
		// What the reader promises to the linker.
		if g.Name != "fuzz.o" {
			t.Fatalf("graph name %q", g.Name)
		}
		for i, sec := range g.Sections {
			if sec == nil {
				continue
			}
			if int(sec.Index) != i || sec.Graph != g {
				t.Fatalf("section %d: index %d", i, sec.Index)
			}
			if sec.Data != nil && uint64(len(sec.Data)) != sec.Size {
				t.Fatalf("section %s: %d bytes of data, size %d", sec.Name, len(sec.Data), sec.Size)
			}
			if sec.Align == 0 || sec.Align&(sec.Align-1) != 0 {
				t.Fatalf("section %s: alignment %d", sec.Name, sec.Align)
			}
			if sec.Group < 0 || int(sec.Group) > len(g.Groups) {
				t.Fatalf("section %s: group %d of %d", sec.Name, sec.Group, len(g.Groups))
			}
			for k, ne := 0, sec.NumEdges(); k < ne; k++ {
				e := sec.Edge(k)
				if int(e.Target) >= len(g.Symbols) || g.Symbols[e.Target] == nil {
					t.Fatalf("section %s: edge to missing symbol %d", sec.Name, e.Target)
				}
				if w := uint64(x86_64.Width(e.Kind)); e.Offset > sec.Size || sec.Size-e.Offset < w {
					t.Fatalf("section %s: %s edge at %#x outside size %#x", sec.Name, x86_64.KindName(e.Kind), e.Offset, sec.Size)
				}
				// The relaxation scan reads the bytes around an edge.
				if x := (x86_64.Arch{}); e.Kind == x86_64.GOTDelta32Relax || e.Kind == x86_64.GOTDelta32RelaxREX {
					l := jitlink.NewLink("fuzz", x, []*jitlink.Graph{g})
					tgt := &jitlink.Symbol{Name: "t", Def: jitlink.Defined}
					ec := e
					ec.Addend = -4
					if _, err := x.Scan(l, sec, &ec, tgt); err != nil {
						t.Fatalf("Scan: %v", err)
					}
				}
			}
		}
		if g.FirstGlobal < 0 || g.FirstGlobal > len(g.Symbols) {
			t.Fatalf("FirstGlobal %d of %d", g.FirstGlobal, len(g.Symbols))
		}
		for i, s := range g.Symbols {
			if s == nil {
				continue
			}
			if s.Def == jitlink.Defined && (s.Section == nil || g.SectionAt(int(s.Section.Index)) != s.Section) {
				t.Fatalf("symbol %d %s: defined without a section of the graph", i, s.Name)
			}
			if s.Def == jitlink.Common && (s.Value == 0 || s.Value&(s.Value-1) != 0) {
				t.Fatalf("common symbol %s: alignment %d", s.Name, s.Value)
			}
			if s.Section != nil {
				g.FuncContaining(s.Section, s.Value)
			}
		}
		for _, grp := range g.Groups {
			for _, m := range grp.Sections {
				if m <= 0 {
					t.Fatalf("group %s: member %d", grp.Signature, m)
				}
			}
		}
	})
}

var lookupNames = []struct{ name, ver string }{
	{"seed_func", ""}, {"seed_func", "SEED_1"}, {"seed_addr", "SEED_2"}, {"seed_msg", ""},
	{"seed_data", "SEED_9"}, {"printf", ""}, {"memcpy", "GLIBC_2.2.5"}, {"", ""}, {"ext_func", ""},
}

func FuzzReadSharedLib(f *testing.F) {
	seeds(f, "*.so")
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadSharedLib("fuzz.so", data)
		if err != nil {
			checkErr(t, "fuzz.so", err)
			return
		}
		if l.Path != "fuzz.so" {
			t.Fatalf("path %q", l.Path)
		}
		// Through the GNU hash table (if any), then through the name index.
		fallback := &SharedLib{dynsym: l.dynsym, dynstr: l.dynstr, versym: l.versym, verNames: l.verNames}
		for _, n := range lookupNames {
			s1, ok1 := l.Lookup(n.name, n.ver)
			s2, ok2 := fallback.Lookup(n.name, n.ver)
			if ok1 && !ok2 {
				// The hash table can only find what a linear search finds.
				t.Fatalf("Lookup(%q, %q) = %+v through the hash table, not found by name", n.name, n.ver, s1)
			}
			_ = s2
		}
	})
}
