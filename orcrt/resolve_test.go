package orcrt_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jitrun/jitrun/orcrt"
)

// TestArchiveFirstDefinitionWins: a name several archive members define is taken from the
// first archive on the command line that defines it, and within an archive from the first
// member its index names (as ld does), whatever order the index is built in.
func TestArchiveFirstDefinitionWins(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order []string // archives, by name
		want  int32
	}{
		{"AB", []string{"A", "B"}, 1},
		{"BA", []string{"B", "A"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !isolated(t) {
				return
			}
			mainO := compile(t, "main", "int foo(void);\nint entry(void) { return foo(); }\n")
			a1 := compile(t, "a1", "int foo(void) { return 1; }\n")
			a2 := compile(t, "a2", "int foo(void) { return 2; }\n")
			b := compile(t, "b", "int foo(void) { return 3; }\n")
			dir := t.TempDir()
			libs := map[string]string{"A": filepath.Join(dir, "libA.a"), "B": filepath.Join(dir, "libB.a")}
			for lib, members := range map[string][]string{"A": {a1, a2}, "B": {b}} {
				if out, err := exec.Command("ar", append([]string{"rcs", libs[lib]}, members...)...).CombinedOutput(); err != nil {
					t.Skipf("ar: %v\n%s", err, out)
				}
			}
			objs := []string{mainO}
			for _, lib := range tc.order {
				objs = append(objs, libs[lib])
			}
			d := linkWith(t, orcrt.Options{}, objs...)
			if got := int32(orcrt.Call(lookup(t, d, "entry"))); got != tc.want {
				t.Errorf("foo() = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestSharedLibraryBeforeArchiveWins: a shared library earlier on the command line than an
// archive defining the same name keeps the archive's member out (as ld does); after the
// archive, the member is pulled. A name only the shared library defines binds to it.
func TestSharedLibraryBeforeArchiveWins(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order []string // "S" the shared library, "A" the archive
		want  int32
	}{
		{"SA", []string{"S", "A"}, 7 + 40},
		{"AS", []string{"A", "S"}, 1 + 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !isolated(t) {
				return
			}
			mainO := compile(t, "main", "int foo(void); int bar(void);\nint entry(void) { return foo() + bar(); }\n")
			a1 := compile(t, "a1", "int foo(void) { return 1; }\n")
			sharedO := compile(t, "s", "int foo(void) { return 7; }\nint bar(void) { return 40; }\n", "-fPIC")
			dir := t.TempDir()
			libs := map[string]string{"A": filepath.Join(dir, "libA.a"), "S": filepath.Join(dir, "libS.so")}
			if out, err := exec.Command("ar", "rcs", libs["A"], a1).CombinedOutput(); err != nil {
				t.Skipf("ar: %v\n%s", err, out)
			}
			if out, err := exec.Command("gcc", "-shared", "-o", libs["S"], sharedO).CombinedOutput(); err != nil {
				t.Skipf("gcc -shared: %v\n%s", err, out)
			}
			objs := []string{mainO}
			for _, lib := range tc.order {
				objs = append(objs, libs[lib])
			}
			d := linkWith(t, orcrt.Options{NoDebug: true}, objs...)
			if got := int32(orcrt.Call(lookup(t, d, "entry"))); got != tc.want {
				t.Errorf("foo() + bar() = %d, want %d", got, tc.want)
			}
		})
	}
}
