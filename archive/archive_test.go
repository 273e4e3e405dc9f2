package archive

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// hdr builds one 60-byte member header.
func hdr(name string, size int) string {
	return fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "644", size)
}

func mustParse(t *testing.T, path string, data []byte) *Archive {
	t.Helper()
	a, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return a
}

func TestLongNamesAndIndex(t *testing.T) {
	a, err := Open("testdata/lib.a")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Thin || !a.HasIndex {
		t.Fatalf("Thin=%v HasIndex=%v", a.Thin, a.HasIndex)
	}
	if len(a.Members) != 2 || a.Members[0].Name != "a.o" || a.Members[1].Name != "a_very_long_member_name.o" {
		t.Fatalf("members: %+v", names(a))
	}
	for i, m := range a.Members {
		want, _ := os.ReadFile(filepath.Join("testdata", m.Name))
		if !bytes.Equal(m.Data, want) {
			t.Errorf("member %d %s: data differs from testdata copy", i, m.Name)
		}
		if m.Path != "" {
			t.Errorf("member %s: Path = %q, want empty", m.Name, m.Path)
		}
	}
	want := map[string]int{"foo": 0, "a_very_long_member_name_func": 1, "bar": 1}
	if len(a.Symbols) != len(want) {
		t.Fatalf("symbols: %+v", a.Symbols)
	}
	for _, s := range a.Symbols {
		if mi, ok := want[s.Name]; !ok || mi != s.Member {
			t.Errorf("symbol %+v, want member %d", s, mi)
		}
	}
}

func TestThin(t *testing.T) {
	a, err := Open("testdata/thin.a")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Thin || len(a.Members) != 2 {
		t.Fatalf("Thin=%v members=%v", a.Thin, names(a))
	}
	for _, m := range a.Members {
		wantPath := filepath.Join("testdata", m.Name)
		if m.Path != wantPath {
			t.Errorf("Path = %q, want %q", m.Path, wantPath)
		}
		want, _ := os.ReadFile(wantPath)
		if !bytes.Equal(m.Data, want) {
			t.Errorf("%s: data differs", m.Name)
		}
	}
	if len(a.Symbols) != 3 || a.Symbols[0].Name != "foo" || a.Symbols[0].Member != 0 || a.Symbols[2].Member != 1 {
		t.Errorf("symbols: %+v", a.Symbols)
	}

	// Missing external member.
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/thin.a")
	p := filepath.Join(dir, "thin.a")
	os.WriteFile(p, data, 0o644)
	_, err = Open(p)
	if err == nil || !strings.Contains(err.Error(), `member "a.o" at offset`) {
		t.Errorf("missing member: err = %v", err)
	}
}

func TestOddPadding(t *testing.T) {
	a, err := Open("testdata/odd.a")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Members) != 2 || string(a.Members[0].Data) != "x" || string(a.Members[1].Data) != "yy" ||
		a.Members[1].Offset != 8+60+2 || a.HasIndex || a.Symbols != nil {
		t.Fatalf("members: %+v", a.Members)
	}
	// Final odd member without its padding byte, and with it.
	body := "!<arch>\n" + hdr("z/", 3) + "abc"
	for _, s := range []string{body, body + "\n"} {
		a := mustParse(t, "x.a", []byte(s))
		if len(a.Members) != 1 || string(a.Members[0].Data) != "abc" {
			t.Errorf("%q: %+v", s, a.Members)
		}
	}
}

func TestBSDName(t *testing.T) {
	s := "!<arch>\n" + hdr("#1/20", 23) + "a_long_bsd_name.o\x00\x00\x00xyz"
	a := mustParse(t, "bsd.a", []byte(s))
	if len(a.Members) != 1 || a.Members[0].Name != "a_long_bsd_name.o" || string(a.Members[0].Data) != "xyz" {
		t.Fatalf("%+v", a.Members)
	}
}

func TestSym64(t *testing.T) {
	// 1 symbol, 64-bit offset pointing at the member after the index.
	idx := "\x00\x00\x00\x00\x00\x00\x00\x01" + "\x00\x00\x00\x00\x00\x00\x00\x00" + "sym\x00"
	memberOff := 8 + 60 + len(idx)
	idx = idx[:8] + fmt.Sprintf("\x00\x00\x00\x00\x00\x00\x00%c", memberOff) + idx[16:]
	s := "!<arch>\n" + hdr("/SYM64/", len(idx)) + idx + hdr("m.o/", 2) + "ok"
	a := mustParse(t, "s.a", []byte(s))
	if !a.HasIndex || len(a.Symbols) != 1 || a.Symbols[0] != (Symbol{"sym", 0}) {
		t.Fatalf("%+v", a)
	}
}

func TestErrors(t *testing.T) {
	lib, _ := os.ReadFile("testdata/lib.a")
	badIdx := append([]byte(nil), lib...)
	badIdx[8+60+7] = 0x99 // first offset now points into the middle of nowhere
	cases := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "lib.a: empty file"},
		{"magic", "!<arcx>\nfoo", "bad magic"},
		{"truncated header", string(lib[:130]), "truncated member header at offset 122 (8 bytes left, need 60)"},
		{"truncated member", string(lib[:400]), `member "a.o" at offset 210: size 1104 runs past end of archive (400 bytes)`},
		{"truncated long member", string(lib[:1500]), `member "a_very_long_member_name.o" at offset 1374: size 1176 runs past end of archive (1500 bytes)`},
		{"bad size", "!<arch>\n" + strings.Replace(hdr("a/", 1), "1 ", "x ", 1) + "a", "bad size field"},
		{"bad fmag", "!<arch>\n" + hdr("a/", 1)[:58] + "xx" + "a", "bad header terminator"},
		{"bad index", string(badIdx), "which is not a member header"},
		{"long name range", "!<arch>\n" + hdr("//", 4) + "ab/\n" + hdr("/9", 0), "long name offset out of range"},
		{"no long table", "!<arch>\n" + hdr("/0", 0), "long name offset out of range"},
		{"index short", "!<arch>\n" + hdr("/", 2) + "\x00\x00", "too small"},
		{"index count", "!<arch>\n" + hdr("/", 4) + "\xff\xff\xff\xff", "symbol count 4294967295"},
		{"index names", "!<arch>\n" + hdr("/", 8) + "\x00\x00\x00\x01\x00\x00\x00\x08", "name table ends"},
	}
	for _, c := range cases {
		_, err := Parse("lib.a", []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "lib.a: ") {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.a")); err == nil {
		t.Error("Open missing file: no error")
	}
	empty := filepath.Join(t.TempDir(), "empty.a")
	os.WriteFile(empty, nil, 0o644)
	if _, err := Open(empty); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("Open empty: %v", err)
	}
}

func TestIsArchive(t *testing.T) {
	for s, want := range map[string]bool{"!<arch>\n": true, "!<thin>\nxx": true, "!<arch>": false, "\x7fELF": false, "": false} {
		if IsArchive([]byte(s)) != want {
			t.Errorf("IsArchive(%q) != %v", s, want)
		}
	}
}

// TestGNUAr builds archives with the system's ar and checks them.
func TestGNUAr(t *testing.T) {
	dir, ok := buildWithAr(t)
	if !ok {
		t.Skip("gcc or ar not available")
	}
	for _, n := range []string{"lib.a", "thin.a"} {
		a, err := Open(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Members) != 3 || !a.HasIndex || len(a.Symbols) != 3 {
			t.Errorf("%s: members %v symbols %+v", n, names(a), a.Symbols)
		}
		for _, s := range a.Symbols {
			if !strings.HasPrefix(s.Name, strings.TrimSuffix(a.Members[s.Member].Name, ".o")) {
				t.Errorf("%s: symbol %s maps to member %s", n, s.Name, a.Members[s.Member].Name)
			}
		}
	}
}

// buildWithAr compiles three tiny objects and archives them as lib.a and
// thin.a in a temp dir; it reports false if the tools are missing.
func buildWithAr(tb testing.TB) (string, bool) {
	gcc, err1 := exec.LookPath("gcc")
	ar, err2 := exec.LookPath("ar")
	if err1 != nil || err2 != nil {
		return "", false
	}
	dir := tb.TempDir()
	var objs []string
	for _, n := range []string{"one", "two_with_a_long_name", "x"} {
		src := filepath.Join(dir, n+".c")
		os.WriteFile(src, []byte("int "+n+"_fn(void) { return 42; }\n"), 0o644)
		if out, err := exec.Command(gcc, "-c", "-o", filepath.Join(dir, n+".o"), src).CombinedOutput(); err != nil {
			tb.Logf("gcc: %v\n%s", err, out)
			return "", false
		}
		objs = append(objs, n+".o")
	}
	for _, c := range [][]string{{"rcs", "lib.a"}, {"rcsT", "thin.a"}} {
		cmd := exec.Command(ar, append(c, objs...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Logf("ar: %v\n%s", err, out)
			return "", false
		}
	}
	return dir, true
}

func names(a *Archive) []string {
	var s []string
	for _, m := range a.Members {
		s = append(s, m.Name)
	}
	return s
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.a")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	if dir, ok := buildWithAr(f); ok {
		for _, n := range []string{"lib.a", "thin.a"} {
			if data, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("!<arch>\n"))
	f.Add([]byte("!<thin>\n" + hdr("//", 6) + "x.o/\n\n" + hdr("/0", 5)))

	// Never touch the real file system from fuzzed thin archives.
	old := readExternal
	readExternal = func(p string) ([]byte, error) {
		if strings.Contains(p, "missing") {
			return nil, os.ErrNotExist
		}
		if strings.Contains(p, "nested") {
			return []byte("!<thin>\n"), nil
		}
		return []byte("\x7fELF external"), nil
	}
	f.Cleanup(func() { readExternal = old })

	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse("fuzz.a", data)
		// Reading the headers through a ReaderAt gives the same archive, or the same error.
		b, errH := ParseHeaders("fuzz.a", data, bytes.NewReader(data))
		if (err == nil) != (errH == nil) || err != nil && err.Error() != errH.Error() || !reflect.DeepEqual(a, b) {
			t.Fatalf("ParseHeaders differs from Parse:\n%+v, %v\n%+v, %v", a, err, b, errH)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.a: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, s := range a.Symbols {
			if s.Member < 0 || s.Member >= len(a.Members) {
				t.Fatalf("symbol %+v out of range", s)
			}
		}
		for _, m := range a.Members {
			if m.Offset < 8 || m.Offset >= int64(len(data)) {
				t.Fatalf("member %q offset %d out of range", m.Name, m.Offset)
			}
		}
	})
}
