package linux

import (
	"debug/elf"
	"os"
	"testing"

	"github.com/jitrun/jitrun/jitlink"
)

const libcPath = "/lib/x86_64-linux-gnu/libc.so.6"

func readLibc(t *testing.T) (*SharedLib, []byte) {
	t.Helper()
	if _, err := os.Stat(libcPath); err != nil {
		t.Skipf("no %s: %v", libcPath, err)
	}
	data, err := MapFile(libcPath)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ReadSharedLib(libcPath, data)
	if err != nil {
		t.Fatal(err)
	}
	return l, data
}

func TestLibcLookups(t *testing.T) {
	l, _ := readLibc(t)
	if l.Soname != "libc.so.6" {
		t.Errorf("Soname = %q", l.Soname)
	}
	if l.nbuckets == 0 {
		t.Error("libc's GNU hash table was not read")
	}
	printf, ok := l.Lookup("printf", "")
	if !ok || printf.Type != jitlink.Func || printf.Value == 0 {
		t.Errorf("printf = %+v, %v; want a defined Func", printf, ok)
	}
	memcpy, ok := l.Lookup("memcpy", "")
	if !ok || memcpy.Value == 0 {
		t.Fatalf("memcpy (default) = %+v, %v", memcpy, ok)
	}
	if memcpy.Type != jitlink.IFunc && memcpy.Type != jitlink.Func {
		t.Errorf("memcpy type %v", memcpy.Type)
	}
	memcpy214, ok := l.Lookup("memcpy", "GLIBC_2.14")
	if !ok || memcpy214 != memcpy {
		t.Errorf("memcpy@GLIBC_2.14 = %+v, %v; want the default %+v", memcpy214, ok, memcpy)
	}
	old, ok := l.Lookup("memcpy", "GLIBC_2.2.5")
	if !ok {
		t.Fatal("memcpy@GLIBC_2.2.5 not found")
	}
	if old.Value == memcpy.Value {
		t.Errorf("memcpy@GLIBC_2.2.5 has the default version's value %#x", old.Value)
	}
	if _, ok := l.Lookup("memcpy", "GLIBC_9.99"); ok {
		t.Error("memcpy@GLIBC_9.99 found")
	}
	stdout, ok := l.Lookup("stdout", "")
	if !ok || stdout.Type != jitlink.Object || stdout.Size != 8 {
		t.Errorf("stdout = %+v, %v; want an Object of size 8", stdout, ok)
	}
	for _, name := range []string{"no_such_symbol_xyz", "", "printf ", "_IO_printf_nonexistent"} {
		if s, ok := l.Lookup(name, ""); ok {
			t.Errorf("Lookup(%q) = %+v, want not found", name, s)
		}
	}
	// Undefined references of libc (to ld.so) are not definitions.
	if s, ok := l.Lookup("_dl_argv", ""); ok {
		t.Errorf("_dl_argv (undefined in libc) found: %+v", s)
	}
	if len(l.Needed) == 0 {
		t.Error("no DT_NEEDED entries (libc needs ld-linux-x86-64.so.2)")
	}
}

// TestLibcAgainstDebugELF compares Lookup with debug/elf's view of libc's dynamic symbols,
// through the GNU hash table and through the fallback name index.
func TestLibcAgainstDebugELF(t *testing.T) {
	l, _ := readLibc(t)
	f, err := elf.Open(libcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ name, ver string }
	defaults := map[string]int{}
	var sample []elf.Symbol
	for _, s := range syms {
		bind, vis := elf.ST_BIND(s.Info), elf.ST_VISIBILITY(s.Other)
		if s.Section == elf.SHN_UNDEF || bind == elf.STB_LOCAL || vis == elf.STV_HIDDEN || vis == elf.STV_INTERNAL || s.Name == "" {
			continue
		}
		if s.HasVersion && !s.VersionIndex.IsHidden() {
			defaults[s.Name]++
		}
		sample = append(sample, s)
	}
	// Every 1/n-th symbol, so the sample spreads over the whole table.
	step := len(sample) / 200
	if step == 0 {
		step = 1
	}
	fallback := &SharedLib{dynsym: l.dynsym, dynstr: l.dynstr, versym: l.versym, verNames: l.verNames}
	checked := 0
	for i := 0; i < len(sample); i += step {
		s := sample[i]
		for _, lib := range []*SharedLib{l, fallback} {
			got, ok := lib.Lookup(s.Name, s.Version)
			if !ok {
				t.Errorf("Lookup(%q, %q) not found (gnu hash %v)", s.Name, s.Version, lib.nbuckets != 0)
				continue
			}
			if got.Value != s.Value || got.Size != s.Size {
				t.Errorf("Lookup(%q, %q) = value %#x size %d, debug/elf says %#x size %d", s.Name, s.Version, got.Value, got.Size, s.Value, s.Size)
			}
			if got.Weak != (elf.ST_BIND(s.Info) == elf.STB_WEAK) || got.Abs != (s.Section == elf.SHN_ABS) {
				t.Errorf("Lookup(%q): weak %v abs %v, debug/elf %v", s.Name, got.Weak, got.Abs, s)
			}
			if !s.VersionIndex.IsHidden() && defaults[s.Name] == 1 {
				d, ok := lib.Lookup(s.Name, "")
				if !ok || d.Value != s.Value {
					t.Errorf("Lookup(%q, \"\") = %#x, %v; want the default version's %#x", s.Name, d.Value, ok, s.Value)
				}
			}
			if s.VersionIndex.IsHidden() && defaults[s.Name] == 0 {
				if d, ok := lib.Lookup(s.Name, ""); ok {
					t.Errorf("Lookup(%q, \"\") found %+v though only hidden versions exist", s.Name, d)
				}
			}
		}
		checked++
	}
	if checked < 200 {
		t.Errorf("checked only %d symbols", checked)
	}
}

func TestReadSharedLibErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/seed_pic.o")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSharedLib("seed_pic.o", data); err == nil {
		t.Error("a relocatable object was accepted as a shared library")
	} else if _, ok := err.(*FormatError); !ok {
		t.Errorf("error %T %v is not a *FormatError", err, err)
	}
	so, err := os.ReadFile("testdata/libseed.so")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadObject("libseed.so", so); err == nil {
		t.Error("a shared library was accepted as an object")
	}
	l, err := ReadSharedLib("libseed.so", so)
	if err != nil {
		t.Fatal(err)
	}
	if l.Soname != "libseed.so" {
		t.Errorf("Soname = %q", l.Soname)
	}
	for _, c := range []struct {
		name, ver string
		ok        bool
	}{
		{"seed_func", "", true}, {"seed_func", "SEED_1", true}, {"seed_func", "SEED_2", false},
		{"seed_addr", "SEED_2", true}, {"seed_msg", "", true}, {"ext_func", "", false},
		{"seed_weak", "", false}, {"counter", "", false},
	} {
		if _, ok := l.Lookup(c.name, c.ver); ok != c.ok {
			t.Errorf("Lookup(%q, %q) found = %v, want %v", c.name, c.ver, ok, c.ok)
		}
	}
	if s, _ := l.Lookup("seed_msg", ""); s.Type != jitlink.Object || s.Size != 5 {
		t.Errorf("seed_msg = %+v", s)
	}
}
