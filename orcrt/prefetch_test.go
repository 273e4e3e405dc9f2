package orcrt_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jitrun/jitrun/orcrt"
)

// TestReadAheadIsOnlyParsing: the parser pool reads archive members ahead of the resolver's
// waves, following undefined names through the archive index, but only the waves decide what
// is linked. Here a.o (pulled for foo) needs bar, which the index gives to b.o; the program's
// own object already defines bar, so ld never reads b.o — and b.o is broken. The link must
// succeed with main.o's bar, b.o must have been read ahead (Parsed counts it), and its error
// must not be reported.
func TestReadAheadIsOnlyParsing(t *testing.T) {
	if !isolated(t) {
		return
	}
	mainO := compile(t, "main", `int bar(void) { return 7; }
int foo(void);
int entry(void) { return foo(); }
`)
	a := compile(t, "a", "int bar(void);\nint foo(void) { return bar() * 6; }\n")
	b := compile(t, "b", "int bar(void) { return -1; }\n")
	lib := filepath.Join(t.TempDir(), "libab.a")
	if out, err := exec.Command("ar", "rcs", lib, a, b).CombinedOutput(); err != nil {
		t.Skipf("ar: %v\n%s", err, out)
	}
	// Break b.o inside the archive (its section headers past the end of the member); the
	// archive index still says b.o defines bar.
	data, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	first := bytes.Index(data, []byte("\x7fELF"))
	second := first + 1 + bytes.Index(data[first+1:], []byte("\x7fELF"))
	if first < 0 || second <= first {
		t.Fatalf("%s: two ELF members not found", lib)
	}
	binary.LittleEndian.PutUint64(data[second+0x28:], 1<<40) // e_shoff
	if err := os.WriteFile(lib, data, 0o644); err != nil {
		t.Fatal(err)
	}

	orcrt.DrainReadAhead() // b.o is queued while a.o is added; the link may end first
	d := linkWith(t, orcrt.Options{}, mainO, lib)
	if d.Stats.Objects != 2 || d.Stats.Parsed != 3 {
		t.Errorf("objects linked %d, parsed %d; want 2 linked (main.o, a.o) and 3 parsed (b.o read ahead)", d.Stats.Objects, d.Stats.Parsed)
	}
	entry := lookup(t, d, "entry")
	if got := int32(orcrt.Call(entry)); got != 42 {
		t.Errorf("entry() = %d, want 42 (main.o's bar, not b.o's)", got)
	}
}
