package e2e

// Lazy linking (jitrun --lazy): the corpora as extra modes, first calls from many threads at
// once with function-pointer identity, and dlopen/dlsym/dlclose from many threads while
// lazily linked code is being linked, under a race-detecting jitrun.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// lazyVariants are the ways laziness runs the corpora.
var lazyVariants = []struct {
	name  string
	flags []string
}{
	{"lazy", []string{"--lazy"}},
	{"lazy-speculate", []string{"--lazy", "--speculate"}},
}

// TestCorpusLazy runs the C corpus (in a few build modes) and the C++ corpus with --lazy
// and with --lazy --speculate: the output must be the natively linked program's.
func TestCorpusLazy(t *testing.T) {
	for _, v := range lazyVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			cm := []mode{modePIE, modeNoPIC, modeO0g, modeLarge, modeClang}
			if v.name != "lazy" {
				cm = []mode{modePIE, modeNoPIC}
			}
			runCorpusFlags(t, "c", v.name, cm, v.flags)
			runCorpusFlags(t, "cxx", v.name, []mode{modePIE, modeO0g}, v.flags)
		})
	}
}

// lazyFuncs is how many lazily linked objects the thread tests generate.
const lazyFuncs = 64

// writeLazyObjects writes lf0.c ... lfN.c: each defines functions that are linked lazily
// (integer, stack and vector arguments; varargs; a function returning its own address as
// its code takes it), table.c a data table of their addresses (linked at start: it defines
// data), and decl.h.
func writeLazyObjects(t *testing.T, dir string, n int) []string {
	t.Helper()
	var decl, table strings.Builder
	decl.WriteString("typedef long (*lf_t)(long, long, long, long, long, long, long, long, double, double, double, double, double, double, double, double, double, double);\n")
	table.WriteString("#include \"decl.h\"\nvoid *lf_table[] = {\n")
	var files []string
	for i := 0; i < n; i++ {
		fmt.Fprintf(&decl, "long lf_%d(long, long, long, long, long, long, long, long, double, double, double, double, double, double, double, double, double, double);\n", i)
		fmt.Fprintf(&decl, "double lfv_%d(int n, ...);\nvoid *lf_self_%d(void);\n", i, i)
		fmt.Fprintf(&table, "  (void *)lf_%d,\n", i)
		src := fmt.Sprintf(`#include <stdarg.h>
#include "decl.h"
static int calls;
long lf_%[1]d(long a, long b, long c, long d, long e, long f, long g, long h,
	double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7, double x8, double x9) {
	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	return %[1]d * 1000 + a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h
		+ (long)(x0 + 2*x1 + 3*x2 + 4*x3 + 5*x4 + 6*x5 + 7*x6 + 8*x7 + 9*x8 + 10*x9);
}
double lfv_%[1]d(int n, ...) {
	va_list ap;
	va_start(ap, n);
	double s = %[1]d;
	for (int i = 0; i < n; i++) s += va_arg(ap, double) * (i + 1);
	va_end(ap);
	return s;
}
void *lf_self_%[1]d(void) { return (void *)lf_%[1]d; }
`, i)
		f := fmt.Sprintf("lf%d.c", i)
		if err := os.WriteFile(filepath.Join(dir, f), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	table.WriteString("};\n")
	for name, body := range map[string]string{"decl.h": decl.String(), "table.c": table.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return append(files, "table.c")
}

// lazyCallSwitch is C for `static long call_lf(int i)`, `lfv(i)`, and `lf_addr(i)`: direct
// calls and addresses taken in code, by index.
func lazyCallSwitch(n int) string {
	var b strings.Builder
	b.WriteString("static long call_lf(int i, long k) {\n\tswitch (i) {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tcase %d: return lf_%d(k, 2, 3, 4, 5, 6, 7, 8, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5);\n", i, i)
	}
	b.WriteString("\t}\n\treturn -1;\n}\nstatic double call_lfv(int i) {\n\tswitch (i) {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tcase %d: return lfv_%d(4, 1.0, 2.0, 3.0, 4.0);\n", i, i)
	}
	b.WriteString("\t}\n\treturn -1;\n}\nstatic void *lf_addr(int i) {\n\tswitch (i) {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tcase %d: return (void *)lf_%d;\n", i, i)
	}
	b.WriteString("\t}\n\treturn 0;\n}\nstatic void *lf_self(int i) {\n\tswitch (i) {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tcase %d: return lf_self_%d();\n", i, i)
	}
	b.WriteString("\t}\n\treturn 0;\n}\n")
	return b.String()
}

const lazyThreadsMain = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "decl.h"
extern void *lf_table[];
enum { T = 8, N = NFUNCS };
%s
static pthread_barrier_t start;
static int bad[T];
static void *worker(void *arg) {
	int id = (int)(long)arg;
	pthread_barrier_wait(&start);
	/* Every thread makes the first call of every function at about the same time, in
	   the same order (all wait for one link), then in its own order. */
	for (int r = 0; r < 2; r++)
		for (int j = 0; j < N; j++) {
			int i = r == 0 ? j : (j + id * 7) %% N;
			long rest = id + 2*2 + 3*3 + 4*4 + 5*5 + 6*6 + 7*7 + 8*8 + (long)(0.5 + 2*1 + 3*1.5 + 4*2 + 5*2.5 + 6*3 + 7*3.5 + 8*4 + 9*4.5 + 10*5);
			if (call_lf(i, id) != i * 1000L + rest) bad[id]++;
			if (call_lfv(i) != i + 1.0 + 4.0 + 9.0 + 16.0) bad[id]++;
			lf_t fp = (lf_t)lf_table[(i + 1) %% N];
			if (fp(id, 2, 3, 4, 5, 6, 7, 8, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5) != ((i + 1) %% N) * 1000L + rest) bad[id]++;
			char name[32];
			snprintf(name, sizeof name, "lf_%%d", i);
			void *sym = dlsym(RTLD_DEFAULT, name);
			void *code = lf_addr(i), *self = lf_self(i), *data = lf_table[i];
			if (!(sym == code && code == self && self == data)) {
				if (bad[id]++ < 3)
					fprintf(stderr, "lf_%%d: dlsym %%p, code %%p, own code %%p, data %%p\n", i, sym, code, self, data);
			}
		}
	return 0;
}
int main(void) {
	pthread_t t[T];
	pthread_barrier_init(&start, 0, T);
	for (long i = 0; i < T; i++) pthread_create(&t[i], 0, worker, (void *)i);
	int total = 0;
	for (int i = 0; i < T; i++) {
		pthread_join(t[i], 0);
		total += bad[i];
	}
	printf("%%d threads x %%d functions: %%d bad\n", T, N, total);
	return total != 0;
}
`

// TestLazyThreads: 8 threads make the first calls of 64 lazily linked functions at once
// (integer, stack and floating-point arguments, varargs) and check the results, and that a
// function's address is the same taken in code (the caller's and the function's own
// object), in data (a table linked at start) and from dlsym. Natively and under jitrun,
// PIE and non-PIC.
func TestLazyThreads(t *testing.T) {
	j := jitrun(t)
	for _, m := range []struct {
		name           string
		cflags, ldflag []string
	}{
		{"pie", []string{"-O2"}, nil},
		{"nopic", []string{"-O2", "-fno-pic"}, []string{"-no-pie"}},
	} {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			srcs := writeLazyObjects(t, dir, lazyFuncs)
			mainSrc := strings.Replace(fmt.Sprintf(lazyThreadsMain, lazyCallSwitch(lazyFuncs)), "NFUNCS", strconv.Itoa(lazyFuncs), 1)
			if err := os.WriteFile(filepath.Join(dir, "main.c"), []byte(mainSrc), 0o644); err != nil {
				t.Fatal(err)
			}
			srcs = append(srcs, "main.c")
			var objs []string
			for _, s := range srcs {
				objs = append(objs, strings.TrimSuffix(s, ".c")+".o")
			}
			sh(t, dir, "gcc", append(append([]string{}, m.cflags...), append([]string{"-c"}, srcs...)...)...)
			sh(t, dir, "gcc", append(append(append([]string{}, m.ldflag...), "-rdynamic", "-o", "native"), append(objs, "-lpthread")...)...)
			native := runAt(t, dir, filepath.Join(dir, "native"))
			if native.status != "exit 0" {
				t.Fatalf("native: %s\n%s%s", native.status, native.stdout, native.stderr)
			}
			for _, v := range lazyVariants {
				args := append(append([]string{j, "--argv0=native", "--stats"}, v.flags...), objs...)
				r := runAt(t, dir, args...)
				if r.status != native.status || !bytes.Equal(r.stdout, native.stdout) {
					t.Errorf("%s: %s\nstdout:\n%s\nstderr:\n%s", v.name, r.status, r.stdout, r.stderr)
				}
				// Every lf object is linked lazily: at start, only main.o and table.c.
				st := lazyStatsLine(t, r.stderr)
				if st == nil || st.atStart != 2 || st.linked != lazyFuncs+2 || st.total != lazyFuncs+2 {
					t.Errorf("%s: lazy statistics %+v; stderr:\n%s", v.name, st, r.stderr)
				}
			}
		})
	}
}

type lazyStat struct{ linked, total, atStart, onCall, spec int }

var lazyStatRE = regexp.MustCompile(`jitrun: lazy: (\d+) of (\d+) objects linked \((\d+) at start, (\d+) on first call in \d+ batches, (\d+) speculatively in \d+ batches\)`)

// lazyStatsLine parses the last lazy statistics line of jitrun --stats.
func lazyStatsLine(t *testing.T, stderr []byte) *lazyStat {
	ms := lazyStatRE.FindAllSubmatch(stderr, -1)
	if len(ms) == 0 {
		return nil
	}
	m := ms[len(ms)-1]
	n := func(i int) int { v, _ := strconv.Atoi(string(m[i])); return v }
	return &lazyStat{n(1), n(2), n(3), n(4), n(5)}
}

const lazyStressMain = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "decl.h"
enum { N = NFUNCS };
%s
static const char *path;
static int cycles, failures;
static int cycle(void) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) { fprintf(stderr, "dlopen: %%s\n", dlerror()); return 1; }
	int (*run)(int) = (int (*)(int))dlsym(h, "plugin_run");
	int bad = !run || run(2) != 7;
	if (dlclose(h) != 0) bad = 1;
	return bad;
}
static void *opener(void *arg) {
	(void)arg;
	int bad = 0;
	for (int i = 0; i < cycles; i++) bad += cycle();
	__atomic_add_fetch(&failures, bad, __ATOMIC_RELAXED);
	return 0;
}
static void *caller(void *arg) {
	int id = (int)(long)arg, bad = 0;
	for (int r = 0; r < 20; r++)
		for (int j = 0; j < N; j++) {
			int i = (j * (id + 1) + r) %% N;
			char name[32];
			snprintf(name, sizeof name, "lf_%%d", i);
			if (dlsym(RTLD_DEFAULT, name) != lf_addr(i)) bad++;
			if (call_lfv(i) != i + 1.0 + 4.0 + 9.0 + 16.0) bad++;
		}
	__atomic_add_fetch(&failures, bad, __ATOMIC_RELAXED);
	return 0;
}
int main(int argc, char **argv) {
	setenv("PLUGIN_QUIET", "1", 1);
	path = argv[1];
	cycles = atoi(argv[2]);
	enum { T = 4 };
	pthread_t o[T], c[T];
	for (long i = 0; i < T; i++) {
		pthread_create(&o[i], 0, opener, 0);
		pthread_create(&c[i], 0, caller, (void *)i);
	}
	for (int i = 0; i < T; i++) {
		pthread_join(o[i], 0);
		pthread_join(c[i], 0);
	}
	printf("failures: %%d\n", failures);
	return failures != 0;
}
`

var raceOnce sync.Once
var raceBin, raceErr = "", error(nil)

// jitrunRace builds cmd/jitrun with the race detector, once.
func jitrunRace(t *testing.T) string {
	t.Helper()
	raceOnce.Do(func() {
		raceBin = filepath.Join(tmpRoot, "jitrun-race")
		cmd := exec.Command("go", "build", "-race", "-o", raceBin, "github.com/jitrun/jitrun/cmd/jitrun")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			raceErr = fmt.Errorf("go build -race ./cmd/jitrun: %v\n%s", err, out)
		}
	})
	if raceErr != nil {
		t.Fatal(raceErr)
	}
	return raceBin
}

// TestLazyDlopenStress: 4 threads dlopen/dlsym/call/dlclose a JIT'd dylib while 4 others
// make first calls of lazily linked functions and dlsym them (the speculation goroutine
// linking in the background too), under a jitrun built with the race detector.
func TestLazyDlopenStress(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jitrun with -race")
	}
	j := jitrunRace(t)
	dir := dlDir(t, "plugin.c")
	srcs := writeLazyObjects(t, dir, lazyFuncs)
	mainSrc := strings.Replace(fmt.Sprintf(lazyStressMain, lazyCallSwitch(lazyFuncs)), "NFUNCS", strconv.Itoa(lazyFuncs), 1)
	if err := os.WriteFile(filepath.Join(dir, "main.c"), []byte(mainSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	// The plugin calls back into the program: host_log is linked lazily too (the plugin
	// binds to its stub), on whichever thread calls it first.
	hl := "static int n;\nvoid host_log(const char *msg) { (void)msg; __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED); }\n"
	if err := os.WriteFile(filepath.Join(dir, "hostlog.c"), []byte(hl), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs = append(srcs, "main.c", "hostlog.c")
	var objs []string
	for _, s := range srcs {
		objs = append(objs, strings.TrimSuffix(s, ".c")+".o")
	}
	sh(t, dir, "gcc", append([]string{"-O2", "-c", "plugin.c"}, srcs...)...)
	for _, v := range lazyVariants {
		args := append([]string{j, "--argv0=stress", "--stats", "--dylib=libplugin.so=" + filepath.Join(dir, "plugin.o")}, v.flags...)
		args = append(append(args, objs...), "--", "./libplugin.so", "200")
		r := runAtEnv(t, dir, []string{"GORACE=halt_on_error=1 exitcode=66"}, args...)
		if r.status != "exit 0" || string(r.stdout) != "failures: 0\n" || bytes.Contains(r.stderr, []byte("DATA RACE")) {
			t.Errorf("%s: %s\nstdout:\n%s\nstderr:\n%s", v.name, r.status, r.stdout, head(r.stderr, 4000))
		}
		if st := lazyStatsLine(t, r.stderr); st == nil || st.onCall+st.spec == 0 {
			t.Errorf("%s: nothing linked lazily: %+v", v.name, st)
		}
	}
}

// specHub calls eight functions, each in an object of its own: linking hub on its first
// call queues their objects for speculation (its direct calls).
const specHub = `int spoke1(int), spoke2(int), spoke3(int), spoke4(int), spoke5(int), spoke6(int), spoke7(int), spoke8(int);
int hub(int x) {
	if (x)
		return spoke1(x) + spoke2(x) + spoke3(x) + spoke4(x) + spoke5(x) + spoke6(x) + spoke7(x) + spoke8(x);
	return 7;
}
`

// specMain waits until speculation has taken hub's callees, times each one's first call, and
// stays until the stalled speculative batch has tried to commit.
const specMain = `#include <stdio.h>
#include <time.h>
int hub(int), spoke1(int), spoke2(int), spoke3(int), spoke4(int), spoke5(int), spoke6(int), spoke7(int), spoke8(int);
static int (*const spokes[])(int) = {spoke1, spoke2, spoke3, spoke4, spoke5, spoke6, spoke7, spoke8};
static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
int main(void) {
	printf("hub %d\n", hub(0));
	struct timespec pause = {0, 200 * 1000 * 1000};
	nanosleep(&pause, 0);
	double slowest = 0;
	for (int i = 0; i < 8; i++) {
		double t0 = now();
		printf("spoke%d %d\n", i + 1, spokes[i](3));
		double t = now() - t0;
		if (t > slowest)
			slowest = t;
	}
	printf("hub %d\n", hub(1));
	if (slowest > 1.0)
		printf("a first call took %.0f ms\n", slowest * 1000);
	struct timespec rest = {3, 0}; /* past the stalled batch's commit */
	nanosleep(&rest, 0);
	return 0;
}
`

// TestSpeculationNeverBlocks: speculation must never make a program thread wait. The
// speculative batch that links hub's eight callees is stalled for 2 s after it has read their
// graphs; meanwhile main calls each of them: every first call must link on its own at once
// (before, the speculative batch held the loader lock and the first call waited for it), the
// output must be the native program's, and the stalled batch must be dropped at its commit,
// its objects linked by then. Under a race-detecting jitrun.
func TestSpeculationNeverBlocks(t *testing.T) {
	files := map[string]string{"main.c": specMain, "hub.c": specHub}
	for i := 1; i <= 8; i++ {
		files[fmt.Sprintf("spoke%d.c", i)] = fmt.Sprintf("int spoke%d(int x) { return x * %d + %d; }\n", i, i, i*i)
	}
	if st := stalledSpeculation(t, files); st != nil && st.onCall < 9 {
		t.Errorf("want hub and its 8 callees linked on their first calls: %+v", st)
	}
}

// specAddrMain: while the speculative batch of hub's callees (each takes getpid's address)
// is stalled, other.o is linked on a call and gives getpid its stub, which is getpid's
// address from then on; the stalled batch, which made a stub of its own, must be dropped,
// so that every object sees one address.
const specAddrMain = `#include <stdio.h>
#include <time.h>
int hub(int), spoke1(int), spoke2(int), spoke3(int), spoke4(int), spoke5(int), spoke6(int), spoke7(int), spoke8(int);
void *other_getpid(void), *spoke1_getpid(void), *spoke2_getpid(void), *spoke3_getpid(void), *spoke4_getpid(void),
	*spoke5_getpid(void), *spoke6_getpid(void), *spoke7_getpid(void), *spoke8_getpid(void);
static void *(*const addrs[])(void) = {spoke1_getpid, spoke2_getpid, spoke3_getpid, spoke4_getpid,
	spoke5_getpid, spoke6_getpid, spoke7_getpid, spoke8_getpid};
int main(void) {
	printf("hub %d\n", hub(0));
	struct timespec pause = {0, 200 * 1000 * 1000}, rest = {3, 0};
	nanosleep(&pause, 0);
	void *g = other_getpid();
	nanosleep(&rest, 0); /* past the stalled batch's commit */
	int same = 1;
	for (int i = 0; i < 8; i++)
		same &= addrs[i]() == g;
	printf("hub %d\n", hub(1));
	printf("getpid has one address: %s\n", same ? "yes" : "no");
	return 0;
}
`

// TestSpeculationKeepsLibraryAddresses: a speculative batch that gave a library function its
// stub (its canonical address, non-PIC code taking it) is dropped if another batch gave it
// one first: the output (one address everywhere) must be the native program's.
func TestSpeculationKeepsLibraryAddresses(t *testing.T) {
	files := map[string]string{"main.c": specAddrMain, "hub.c": specHub,
		"other.c": "#include <unistd.h>\nvoid *other_getpid(void) { return (void *)getpid; }\n"}
	for i := 1; i <= 8; i++ {
		files[fmt.Sprintf("spoke%d.c", i)] = fmt.Sprintf("#include <unistd.h>\nint spoke%d(int x) { return x * %d + %d; }\nvoid *spoke%d_getpid(void) { return (void *)getpid; }\n", i, i, i*i, i)
	}
	stalledSpeculation(t, files, "-fno-pic")
}

// stalledSpeculation compiles files (gcc -O2 and cflags), runs the natively linked program,
// then runs the objects under a race-detecting jitrun with --lazy --speculate, each
// speculative batch stalled for 2 s after it has read its graphs (a test hook): the output
// and exit must be the native program's, and a stalled batch must have been dropped at its
// commit. It returns the lazy statistics.
func stalledSpeculation(t *testing.T, files map[string]string, cflags ...string) *lazyStat {
	t.Helper()
	if testing.Short() {
		t.Skip("builds jitrun with -race")
	}
	j := jitrunRace(t)
	dir := t.TempDir()
	var objs []string
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		sh(t, dir, "gcc", append(append([]string{"-O2"}, cflags...), "-c", name)...)
		objs = append(objs, strings.TrimSuffix(name, ".c")+".o")
	}
	sort.Strings(objs)
	ld := []string{"-o", "native"}
	if len(cflags) > 0 && cflags[0] == "-fno-pic" {
		ld = append(ld, "-no-pie")
	}
	sh(t, dir, "gcc", append(ld, objs...)...)
	native := runAt(t, dir, filepath.Join(dir, "native"))
	args := append([]string{j, "--argv0=native", "--stats", "--lazy", "--speculate"}, objs...)
	r := runAtEnv(t, dir, []string{"JITRUN_TEST_SPECULATION_DELAY=2s", "GORACE=halt_on_error=1 exitcode=66"}, args...)
	if r.status != native.status || string(r.stdout) != string(native.stdout) || bytes.Contains(r.stderr, []byte("DATA RACE")) {
		t.Fatalf("%s, want %s\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", r.status, native.status, r.stdout, native.stdout, head(r.stderr, 4000))
	}
	if !bytes.Contains(r.stderr, []byte("speculative batches dropped")) {
		t.Errorf("the stalled speculative batch was not dropped:\n%s", r.stderr)
	}
	st := lazyStatsLine(t, r.stderr)
	if st == nil {
		t.Errorf("no lazy statistics:\n%s", r.stderr)
	}
	return st
}
