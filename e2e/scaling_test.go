package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/jitrun/jitrun/bench/gen/cprog"
)

// mapsCounter is linked into the generated programs: before main it counts the lines of
// /proc/self/maps (the process's memory mappings once jitrun has linked the program), and
// those that name a file or memory file, and prints both at exit, after the program's own
// output, with the same counts taken again at exit (after every function has run: with
// --lazy, after every object's code is linked) and the anonymous mappings below 2 GiB,
// where jitrun puts JIT'd memory. The anonymous ones vary from run to run
// with the threads the Go runtime happened to start (a stack and a guard page each: a
// one-line program sees 74 to 81 mappings).
const mapsCounter = `#include <stdio.h>
#include <string.h>
static int maps_lines = -1, named_lines = -1;
static void count(int *lines, int *named_lines, int *low_lines) {
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return;
	char line[4096];
	int n = 0, named = 0, low = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		char *slash = strchr(line, '/');
		named += slash != NULL;
		unsigned long long start = 0;
		sscanf(line, "%llx", &start);
		low += start < 0x80000000ull && strchr(line, '/') == NULL && strchr(line, '[') == NULL;
	}
	fclose(f);
	*lines = n, *named_lines = named;
	if (low_lines) *low_lines = low;
}
__attribute__((constructor)) static void count_maps(void) { count(&maps_lines, &named_lines, 0); }
__attribute__((destructor)) static void print_maps(void) {
	int n = -1, named = -1, low = -1;
	count(&n, &named, &low);
	printf("maps %d %d\nmaps at exit %d %d %d\n", maps_lines, named_lines, n, named, low);
}
`

// genProgram writes and compiles a generated program of n objects (bench/gen's generator)
// with the maps counter, and returns the object paths: the driver and the counter first.
func genProgram(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	c := cprog.Config{Objects: n, Funcs: 4 * n, Relocs: 4 * n * 8, Seed: 7}
	if err := cprog.WriteObjects(dir, c, 0, n); err != nil {
		t.Fatal(err)
	}
	srcs := []string{"main.c", "maps.c"}
	files := map[string]string{"main.c": cprog.Driver(c, n), "maps.c": mapsCounter}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		srcs = append(srcs, cprog.ObjectName(i)+".c")
	}
	// One compiler run for all sources (each NAME.c gives NAME.o in dir).
	sh(t, dir, "gcc", append([]string{"-O1", "-c"}, srcs...)...)
	objs := make([]string, len(srcs))
	for i, s := range srcs {
		objs[i] = filepath.Join(dir, s[:len(s)-2]+".o")
	}
	return objs
}

var (
	mapsLine     = regexp.MustCompile(`(?m)^maps (\d+) (\d+)$`)
	mapsExitLine = regexp.MustCompile(`(?m)^maps at exit (\d+) (\d+) (\d+)$`)
)

// withoutMaps is a generated program's output without mapsCounter's lines (the loaders'
// mapping counts differ; the rest must not).
func withoutMaps(out []byte) string {
	return string(mapsExitLine.ReplaceAll(mapsLine.ReplaceAll(out, nil), nil))
}

// TestMappingsDoNotGrowWithObjects links generated programs of 50 and 500 objects (each an
// input file of its own) and checks that the program sees the same number of memory
// mappings at start, give or take a few (the Go heap of the larger link may take another
// arena): inputs must not stay mapped one by one, and the JIT'd code is one mapping. It also
// checks the programs' output against the natively linked ones.
func TestMappingsDoNotGrowWithObjects(t *testing.T) {
	j := jitrun(t)
	counts, named := map[int]int{}, map[int]int{}
	for _, n := range []int{50, 500} {
		objs := genProgram(t, n)
		exe := filepath.Join(filepath.Dir(objs[0]), "native")
		sh(t, filepath.Dir(exe), "gcc", append([]string{"-o", exe}, objs...)...)
		nr := runAt(t, filepath.Dir(exe), exe)
		argv := append([]string{j, "--debug=off"}, objs...)
		jr := runAt(t, filepath.Dir(exe), argv...)
		if nr.status != "exit 0" || jr.status != "exit 0" {
			t.Fatalf("%d objects: native %s, jitrun %s: %s", n, nr.status, jr.status, jr.stderr)
		}
		// The checksum lines must agree; the mapping counts differ (the loaders differ).
		if a, b := withoutMaps(nr.stdout), withoutMaps(jr.stdout); a != b {
			t.Fatalf("%d objects: output differs: native %q, jitrun %q", n, a, b)
		}
		m := mapsLine.FindSubmatch(jr.stdout)
		if m == nil {
			t.Fatalf("%d objects: no mapping count in %q", n, jr.stdout)
		}
		counts[n], _ = strconv.Atoi(string(m[1]))
		named[n], _ = strconv.Atoi(string(m[2]))
		nm := mapsLine.FindSubmatch(nr.stdout)
		t.Logf("%d objects: %d mappings under jitrun, %d of them of files (native: %s, %s)", n, counts[n], named[n], nm[1], nm[2])
	}
	// An input that stayed mapped would be a mapping of its file: those must not differ.
	if named[500] != named[50] {
		t.Errorf("file mappings grow with the number of objects: %d with 50 objects, %d with 500", named[50], named[500])
	}
	// All mappings, with room for the runtime's threads.
	if d := counts[500] - counts[50]; d < -8 || d > 8 {
		t.Errorf("mappings grow with the number of objects: %d with 50 objects, %d with 500", counts[50], counts[500])
	}
}

// TestGeneratedArchive links a generated program from an archive of its objects, as the
// scaling benchmark's archive variant does: only the members the driver reaches are
// linked, and the output matches the native program's.
func TestGeneratedArchive(t *testing.T) {
	j := jitrun(t)
	objs := genProgram(t, 40)
	dir := filepath.Dir(objs[0])
	lib := filepath.Join(dir, "libgen.a")
	sh(t, dir, "ar", append([]string{"rcs", lib}, objs[2:]...)...)
	exe := filepath.Join(dir, "native")
	sh(t, dir, "gcc", "-o", exe, objs[0], objs[1], lib)
	nr := runAt(t, dir, exe)
	jr := runAt(t, dir, j, "--debug=off", objs[0], objs[1], lib)
	if nr.status != "exit 0" || jr.status != "exit 0" {
		t.Fatalf("native %s, jitrun %s: %s", nr.status, jr.status, jr.stderr)
	}
	if a, b := withoutMaps(nr.stdout), withoutMaps(jr.stdout); a != b {
		t.Fatalf("output differs: native %q, jitrun %q", a, b)
	}
	if want := fmt.Sprintf("objects %d functions %d", 40, 160); !regexp.MustCompile(want).Match(jr.stdout) {
		t.Errorf("output %q lacks %q", jr.stdout, want)
	}
}

// TestLazyMappingsDoNotGrowWithObjects runs the generated programs of 50 and 500 objects
// with --lazy: each object's data is linked at start and its code on the first call of one
// of its functions, one link batch per object, and the driver calls them all. The JIT'd
// memory (the anonymous mappings below 2 GiB) must end in as many mappings with 500
// objects as with 50, give or take a few (arenas grow in chunks): a batch's segments join
// those of earlier batches (before, each batch added a mapping per permission: 500 objects
// ended with about 1,000 more). The process's other anonymous mappings vary by a few from
// run to run with the threads of the Go runtime.
func TestLazyMappingsDoNotGrowWithObjects(t *testing.T) {
	j := jitrun(t)
	counts := map[int]int{}
	for _, n := range []int{50, 500} {
		objs := genProgram(t, n)
		dir := filepath.Dir(objs[0])
		exe := filepath.Join(dir, "native")
		sh(t, dir, "gcc", append([]string{"-o", exe}, objs...)...)
		nr := runAt(t, dir, exe)
		jr := runAt(t, dir, append([]string{j, "--debug=off", "--lazy", "--stats"}, objs...)...)
		if nr.status != "exit 0" || jr.status != "exit 0" {
			t.Fatalf("%d objects: native %s, jitrun %s: %s", n, nr.status, jr.status, jr.stderr)
		}
		if a, b := withoutMaps(nr.stdout), withoutMaps(jr.stdout); a != b {
			t.Fatalf("%d objects: output differs: native %q, jitrun %q", n, a, b)
		}
		// Laziness must have linked the objects' code one batch at a time on calls.
		// (The last statistics line: the first is printed when the start link is done.)
		all := regexp.MustCompile(`on first call in (\d+) batches`).FindAllSubmatch(jr.stderr, -1)
		if all == nil {
			t.Fatalf("%d objects: no lazy statistics in %q", n, jr.stderr)
		}
		st := all[len(all)-1]
		if b, _ := strconv.Atoi(string(st[1])); b < n/2 {
			t.Fatalf("%d objects: only %d batches linked on first calls: %s", n, b, jr.stderr)
		}
		m := mapsExitLine.FindSubmatch(jr.stdout)
		if m == nil {
			t.Fatalf("%d objects: no mapping count in %q", n, jr.stdout)
		}
		counts[n], _ = strconv.Atoi(string(m[3]))
		t.Logf("%d objects: %d JIT'd memory mappings at exit under jitrun --lazy (%s in all), %s batches on first calls", n, counts[n], m[1], st[1])
	}
	if d := counts[500] - counts[50]; d < -8 || d > 8 {
		t.Errorf("JIT'd memory mappings grow with the number of lazily linked objects: %d with 50 objects, %d with 500", counts[50], counts[500])
	}
}
