package orcrt_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/orcrt"
	"github.com/jitrun/jitrun/platform/linux"
)

// testdata/square.o is prebuilt from testdata/square.c (see testdata/gen.sh), so the example
// runs without a compiler.
func Example() {
	s := orcrt.NewSession(orcrt.Options{})
	d := s.MainDylib()
	if err := d.AddFile("testdata/square.o"); err != nil {
		fmt.Println(err)
		return
	}
	if err := d.AddDefaultLibraries(); err != nil {
		fmt.Println(err)
		return
	}
	if err := d.Link(); err != nil {
		fmt.Println(err)
		return
	}
	addr, err := d.Lookup("square")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(orcrt.Call(addr, 7))
	// Output: 49
}

// compile builds a C source into an object with gcc, skipping the test without one.
func compile(t *testing.T, name, src string, flags ...string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	c := filepath.Join(dir, name+".c")
	if err := os.WriteFile(c, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	o := filepath.Join(dir, name+".o")
	args := append([]string{"-c", "-O2"}, flags...)
	args = append(args, c, "-o", o)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %v: %v\n%s", args, err, out)
	}
	return o
}

// isolated runs the calling test in a child process and reports whether the caller is that
// child (and should run the test body). Sessions reserve the low 2 GiB window for JIT'd code,
// and a second session in one process finds no room, so every test that lays out code gets a
// process of its own (the Example then has this process to itself).
func isolated(t *testing.T) bool {
	t.Helper()
	if os.Getenv("ORCRT_TEST_CHILD") == t.Name() {
		return true
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.v", "-test.count=1")
	// The child's temporary files go under the parent's: a child that re-executes itself
	// (static TLS) leaves its first incarnation's t.TempDir behind, and the parent removes it.
	cmd.Env = append(os.Environ(), "ORCRT_TEST_CHILD="+t.Name(), "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	switch {
	case strings.Contains(string(out), "--- SKIP: "+t.Name()+" "):
		t.Skipf("skipped in child process:\n%s", out)
	case err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()+" "):
		t.Errorf("child process for %s failed (%v):\n%s", t.Name(), err, out)
	}
	return false
}

func cString(addr uint64) string {
	p := (*byte)(linux.Ptr(addr))
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return unsafe.String(p, n)
}

func TestCallLibc(t *testing.T) {
	src := `#include <stdio.h>
#include <string.h>
static char buf[64];
char *describe(const char *s, long n) {
	snprintf(buf, sizeof buf, "%s:%zu:%ld", s, strlen(s), n * 3);
	return buf;
}
`
	for _, mode := range [][]string{{"-fPIE"}, {"-fno-pic"}, {"-fPIC", "-fno-plt"}, {"-mcmodel=large", "-fPIC"}} {
		t.Run(strings.Join(mode, ""), func(t *testing.T) {
			if !isolated(t) {
				return
			}
			_, fn := linkAndLookup(t, "describe", compile(t, "describe", src, mode...))
			in := []byte("jitrun\x00")
			got := cString(orcrt.Call(fn, uint64(uintptr(unsafe.Pointer(&in[0]))), 14))
			if got != "jitrun:6:42" {
				t.Errorf("describe = %q, want %q", got, "jitrun:6:42")
			}
		})
	}
}

func TestUndefinedReferences(t *testing.T) {
	a := compile(t, "a", "extern int foo(void);\nextern int bar;\nint use_both(void) { return foo() + bar; }\n")
	b := compile(t, "b", "int helper(void) { return 1; }\n")
	s := orcrt.NewSession(orcrt.Options{})
	d := s.MainDylib()
	for _, p := range []string{a, b} {
		if err := d.AddFile(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.AddDefaultLibraries(); err != nil {
		t.Fatal(err)
	}
	err := d.Link()
	if err == nil {
		t.Fatal("Link succeeded with undefined foo and bar")
	}
	msg := err.Error()
	for _, want := range []string{"undefined reference to `foo'", "undefined reference to `bar'", "in function `use_both'", "a.o"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not contain %q:\n%s", want, msg)
		}
	}
	var me jitlink.MultiError
	if !errors.As(err, &me) || len(me) != 2 {
		t.Errorf("want a MultiError of 2 errors, got %T: %v", err, err)
	}
	if strings.Contains(msg, "helper") {
		t.Errorf("error mentions a defined symbol:\n%s", msg)
	}
}

func TestMultipleDefinition(t *testing.T) {
	a := compile(t, "x1", "int x = 1;\nint get1(void) { return x; }\n")
	b := compile(t, "x2", "int x = 2;\nint get2(void) { return x; }\n")
	s := orcrt.NewSession(orcrt.Options{})
	d := s.MainDylib()
	for _, p := range []string{a, b} {
		if err := d.AddFile(p); err != nil {
			t.Fatal(err)
		}
	}
	err := d.Link()
	if err == nil {
		t.Fatal("Link succeeded with x defined twice")
	}
	for _, want := range []string{"multiple definition of `x'", "x2.o", "x1.o", "first defined here"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
}

func TestLookupBeforeLink(t *testing.T) {
	s := orcrt.NewSession(orcrt.Options{})
	if _, err := s.MainDylib().Lookup("square"); err == nil {
		t.Error("Lookup before Link succeeded")
	}
}

// linkAndLookup links objects with the default libraries into a new session's program and
// returns the program and the address of sym.
func linkAndLookup(t *testing.T, sym string, objs ...string) (*orcrt.Dylib, uint64) {
	t.Helper()
	d := linkWith(t, orcrt.Options{NoDebug: true}, objs...)
	return d, lookup(t, d, sym)
}

// linkWith links objects with the default libraries into the program of a new session with
// options opts.
func linkWith(t *testing.T, opts orcrt.Options, objs ...string) *orcrt.Dylib {
	t.Helper()
	d := orcrt.NewSession(opts).MainDylib()
	for _, o := range objs {
		if err := d.AddFile(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.AddDefaultLibraries(); err != nil {
		t.Fatal(err)
	}
	if err := d.Link(); err != nil {
		t.Fatal(err)
	}
	return d
}

// lookup returns the address of d's symbol name.
func lookup(t *testing.T, d *orcrt.Dylib, name string) uint64 {
	t.Helper()
	addr, err := d.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}
