package orcrt_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/orcrt"
)

// TestMemoryPermissions links code, read-only data, relocated pointers and writable data and
// checks the process's mappings: nothing JIT'd is writable and executable at once, code is
// r-x, relocated read-only data is r--, and the permission groups span all objects (one
// mapping per group, not one per object).
func TestMemoryPermissions(t *testing.T) {
	if !isolated(t) {
		return
	}
	a := compile(t, "a", `
		const char *const names[] = {"x", "y"};      /* relocated, read-only after */
		int counter = 1;
		int bump(void) { return ++counter; }`)
	b := compile(t, "b", `
		extern const char *const names[];
		extern int bump(void);
		static const int table[4] = {1, 2, 3, 4};
		int use(int i) { return table[i & 3] + bump() + names[0][0]; }`, "-fno-pic")
	d, use := linkAndLookup(t, "use", a, b)
	if got := orcrt.Call(use, 1); got != 2+2+'x' {
		t.Fatalf("use(1) = %d, want %d", got, 2+2+'x')
	}
	want := map[jitlink.Perm]string{jitlink.PermRX: "r-xp", jitlink.PermR: "r--p", jitlink.PermRelro: "r--p", jitlink.PermRW: "rw-p", jitlink.PermRWZero: "rw-p"}
	for _, seg := range d.Segments() {
		if seg.Size == 0 {
			continue
		}
		seen := 0
		for _, m := range mappings(t) {
			if m.lo < seg.Addr+seg.Size && seg.Addr < m.hi {
				seen++
				if strings.Contains(m.perm, "w") && strings.Contains(m.perm, "x") {
					t.Errorf("JIT'd mapping %#x-%#x is writable and executable", m.lo, m.hi)
				}
				if m.perm != want[seg.Perm] {
					t.Errorf("segment %v at %#x: mapping %#x-%#x is %s, want %s", seg.Perm, seg.Addr, m.lo, m.hi, m.perm, want[seg.Perm])
				}
			}
		}
		if seen == 0 {
			t.Errorf("segment %v at %#x+%#x: no mapping", seg.Perm, seg.Addr, seg.Size)
		}
	}
}

type mapping struct {
	lo, hi uint64
	perm   string
}

func mappings(t *testing.T) []mapping {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ms []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		r := strings.SplitN(fs[0], "-", 2)
		lo, _ := strconv.ParseUint(r[0], 16, 64)
		hi, _ := strconv.ParseUint(r[1], 16, 64)
		ms = append(ms, mapping{lo, hi, fs[1]})
	}
	return ms
}
