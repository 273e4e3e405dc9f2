// Package e2e runs the programs of three corpora both natively (gcc/g++ link)
// and under jitrun, and compares stdout, stderr and exit status:
//
//	testdata/c    C programs, 7 build modes (TestCorpus)
//	testdata/cxx  C++ programs, 6 build modes (TestCorpusCxx)
//	testdata/tls  thread-local storage matrix, C and C++, 7 build modes (TestCorpusTLS)
//
// Layout of a corpus program testdata/<corpus>/<name>/ (a source is C if it
// ends in .c, C++ if it ends in .cc; C is compiled with gcc, C++ with g++, or
// clang-19/clang++-19 in the clang mode):
//
//	*.c, *.cc        plain objects, linked in file-name order
//	ar_*.c, ar_*.cc  members of lib<name>.a
//	ar2_*.c, ...     members of lib<name>2.a (listed before lib<name>.a)
//	so_*.c, ...      compiled -fPIC into the shared library lib<name>so.so,
//	                 linked with -L<build dir> -l<name>so (and an rpath natively)
//	args             program arguments, one per line
//	stdin            fed to the program's stdin
//	libs             extra link flags, one per line (-lm, -lpthread)
//	cflags           extra compiler flags for every file (-fcommon)
//	skip             modes not run, one per line: "MODE reason"
//	native-ref       "MODE REFMODE reason": GNU ld cannot link MODE, so the native build of
//	                 REFMODE is the reference jitrun's MODE build is compared with
//
// A program with a C++ source is linked natively with g++ and run under
// jitrun with -lstdc++ -lm added, as g++'s driver does.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	jitrunTimeout = 60 * time.Second
	nativeTimeout = 30 * time.Second
)

// mode is one way of compiling a corpus.
type mode struct {
	name    string
	cc, cxx string // C and C++ compilers
	cflags  []string
	ldflags []string // native link only
}

var (
	modePIE     = mode{"pie", "gcc", "g++", []string{"-O2"}, nil}
	modePIC     = mode{"pic", "gcc", "g++", []string{"-O2", "-fPIC"}, nil}
	modeNoPIC   = mode{"nopic", "gcc", "g++", []string{"-O2", "-fno-pic"}, []string{"-no-pie"}}
	modeO0g     = mode{"O0g", "gcc", "g++", []string{"-O0", "-g"}, nil}
	modeLarge   = mode{"large", "gcc", "g++", []string{"-O2", "-mcmodel=large", "-fno-pic"}, []string{"-no-pie"}}
	modeO3      = mode{"O3", "gcc", "g++", []string{"-O3"}, nil}
	modeClang   = mode{"clang", "clang-19", "clang++-19", []string{"-O2"}, nil}
	modeTLSDesc = mode{"tlsdesc", "gcc", "g++", []string{"-O2", "-fPIC", "-mtls-dialect=gnu2"}, nil}
	// The other code models: medium (large data, 64-bit GOT offsets for it) and large with
	// PIC (GOTPC64, GOTOFF64, GOT64, PLTOFF64 everywhere).
	modeMedium   = mode{"medium", "gcc", "g++", []string{"-O2", "-mcmodel=medium"}, nil}
	modeLargePIC = mode{"largepic", "gcc", "g++", []string{"-O2", "-mcmodel=large", "-fPIC"}, nil}
)

// modes are the C corpus's build modes.
var modes = []mode{modePIE, modePIC, modeNoPIC, modeO0g, modeLarge, modeO3, modeClang, modeMedium, modeLargePIC}

// cxxModes are the C++ corpus's: -mcmodel=large is left out (libstdc++'s
// headers make it slow to compile and it adds nothing the C corpus lacks).
var cxxModes = []mode{modePIE, modePIC, modeNoPIC, modeO0g, modeO3, modeClang}

// tlsModes add TLS descriptors (-mtls-dialect=gnu2) to the C++ modes.
var tlsModes = []mode{modePIE, modePIC, modeNoPIC, modeO0g, modeO3, modeClang, modeTLSDesc}

var (
	tmpRoot   string
	buildOnce sync.Once
	jitrunBin string
	buildErr  error
	workSem   = make(chan struct{}, runtime.NumCPU()) // bounds programs being built and run at once
	ccSem     = make(chan struct{}, runtime.NumCPU()) // bounds compilers running at once, over all programs
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jitrun-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tmpRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod)
	}
	abs, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// jitrun builds cmd/jitrun once and returns the binary's path.
func jitrun(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		jitrunBin = filepath.Join(tmpRoot, "jitrun")
		cmd := exec.Command("go", "build", "-o", jitrunBin, "github.com/jitrun/jitrun/cmd/jitrun")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/jitrun: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return jitrunBin
}

// program is one corpus directory.
type program struct {
	name, dir  string
	objs       []string // plain sources
	ar, ar2    []string // archive members
	so         []string // shared library sources
	cxx        bool     // some source is C++
	args, libs []string
	cflags     []string
	skip       map[string]string // mode -> reason
	nativeRef  map[string]string // mode -> mode whose native build is the reference
	stdin      []byte            // empty if there is no stdin file
}

// isCxx reports whether src is a C++ source.
func isCxx(src string) bool { return strings.HasSuffix(src, ".cc") }

// objName is the object file name of a source (main.cc -> main.o).
func objName(src string) string {
	b := filepath.Base(src)
	return strings.TrimSuffix(b, filepath.Ext(b)) + ".o"
}

func loadProgram(t *testing.T, dir string) *program {
	p := &program{name: filepath.Base(dir), dir: dir, skip: map[string]string{}, nativeRef: map[string]string{}}
	c, _ := filepath.Glob(filepath.Join(dir, "*.c"))
	cc, _ := filepath.Glob(filepath.Join(dir, "*.cc"))
	srcs := append(c, cc...)
	sort.Strings(srcs)
	seen := map[string]string{}
	for _, s := range srcs {
		if prev, ok := seen[objName(s)]; ok {
			t.Fatalf("%s and %s both compile to %s", prev, s, objName(s))
		}
		seen[objName(s)] = s
		if isCxx(s) {
			p.cxx = true
		}
		switch b := filepath.Base(s); {
		case strings.HasPrefix(b, "ar2_"):
			p.ar2 = append(p.ar2, s)
		case strings.HasPrefix(b, "ar_"):
			p.ar = append(p.ar, s)
		case strings.HasPrefix(b, "so_"):
			p.so = append(p.so, s)
		default:
			p.objs = append(p.objs, s)
		}
	}
	if len(p.objs) == 0 {
		t.Fatalf("%s: no plain source files", dir)
	}
	p.args = readLines(t, filepath.Join(dir, "args"))
	p.libs = readLines(t, filepath.Join(dir, "libs"))
	for _, l := range readLines(t, filepath.Join(dir, "cflags")) {
		p.cflags = append(p.cflags, strings.Fields(l)...)
	}
	for _, l := range readLines(t, filepath.Join(dir, "native-ref")) {
		if f := strings.Fields(l); len(f) >= 2 {
			p.nativeRef[f[0]] = f[1]
		}
	}
	for _, l := range readLines(t, filepath.Join(dir, "skip")) {
		if f := strings.Fields(l); len(f) > 0 {
			p.skip[f[0]] = strings.TrimSpace(strings.TrimPrefix(l, f[0]))
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "stdin")); err == nil {
		p.stdin = b
	}
	return p
}

// soLib is the name (for -l) of the program's shared library.
func (p *program) soLib() string { return p.name + "so" }

// readLines returns the lines of an optional file; an empty line is an
// empty argument.
func readLines(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func corpusPrograms(t *testing.T, corpus string) []string {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", corpus, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus programs found: %v", err)
	}
	sort.Strings(dirs)
	return dirs
}

// built is a compiled program: objects and archives in command-line order.
type built struct {
	inputs []string // objects, lib<name>2.a, lib<name>.a
	nobjs  int
}

// compiler returns the compiler for src in mode m.
func (m mode) compiler(src string) string {
	if isCxx(src) {
		return m.cxx
	}
	return m.cc
}

// build compiles every source in parallel and creates the archives and the
// shared library.
func (p *program) build(t *testing.T, m mode, out string) built {
	all := append(append(append([]string{}, p.objs...), p.ar2...), p.ar...)
	objOf := func(src string) string { return filepath.Join(out, objName(src)) }
	type job struct {
		cc   string
		args []string
	}
	var jobs []job
	for _, src := range all {
		args := append(append([]string{"-c"}, m.cflags...), p.cflags...)
		jobs = append(jobs, job{m.compiler(src), append(args, "-o", objOf(src), src)})
	}
	if len(p.so) > 0 {
		// One compiler invocation for the library, in the language of its
		// first source.
		args := append(append([]string{"-shared"}, m.cflags...), p.cflags...)
		args = append(args, "-fPIC", "-o", filepath.Join(out, "lib"+p.soLib()+".so"))
		jobs = append(jobs, job{m.compiler(p.so[0]), append(args, p.so...)})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ccSem <- struct{}{}
			defer func() { <-ccSem }()
			if o, err := exec.Command(j.cc, j.args...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("%s %s: %v\n%s", j.cc, strings.Join(j.args, " "), err, o)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var b built
	for _, s := range p.objs {
		b.inputs = append(b.inputs, objOf(s))
	}
	b.nobjs = len(b.inputs)
	for _, a := range []struct {
		lib  string
		srcs []string
	}{{"lib" + p.name + "2.a", p.ar2}, {"lib" + p.name + ".a", p.ar}} {
		if len(a.srcs) == 0 {
			continue
		}
		lib := filepath.Join(out, a.lib)
		args := []string{"rcs", lib}
		for _, s := range a.srcs {
			args = append(args, objOf(s))
		}
		if o, err := exec.Command("ar", args...).CombinedOutput(); err != nil {
			t.Fatalf("ar %v: %v\n%s", args, err, o)
		}
		b.inputs = append(b.inputs, lib)
	}
	return b
}

// linkNative links with gcc, or g++ for a program with C++ sources.
// Archives are grouped, since lib<name>2.a is listed first but may need
// lib<name>.a and vice versa.
func (p *program) linkNative(t *testing.T, m mode, b built, out, exe string) {
	args := append([]string{}, m.ldflags...)
	args = append(args, "-o", exe)
	args = append(args, b.inputs[:b.nobjs]...)
	if len(b.inputs) > b.nobjs {
		args = append(args, "-Wl,--start-group")
		args = append(args, b.inputs[b.nobjs:]...)
		args = append(args, "-Wl,--end-group")
	}
	if len(p.so) > 0 {
		args = append(args, "-L"+out, "-l"+p.soLib(), "-Wl,-rpath,"+out)
	}
	args = append(args, p.libs...)
	ld := "gcc"
	if p.cxx {
		ld = "g++"
	}
	if o, err := exec.Command(ld, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", ld, strings.Join(args, " "), err, o)
	}
}

// jitrunArgs is the jitrun command line equivalent to linkNative's.
func (p *program) jitrunArgs(bin string, b built, out string) []string {
	args := []string{bin, "--argv0=" + p.name}
	args = append(args, b.inputs...)
	if len(p.so) > 0 {
		args = append(args, "-L"+out, "-l"+p.soLib())
	}
	if p.cxx {
		args = append(args, "-lstdc++", "-lm")
	}
	args = append(args, p.libs...)
	args = append(args, "--")
	return append(args, p.args...)
}

// result of one program run.
type result struct {
	stdout, stderr []byte
	status         string // "exit N", "signal N (name)" or "timeout"
}

func testEnv() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"TZ=UTC",
		"LC_ALL=C",
		"JITRUN_E2E=fixed-value-42",
	}
}

// run executes path with the given argv (argv[0] included) in a fresh
// working directory.
func run(t *testing.T, timeout time.Duration, path string, argv []string, stdin []byte) result {
	return runProg(t, runOpts{path: path, argv: argv, stdin: stdin, timeout: timeout})
}

// firstDiff describes where two outputs first differ, or returns "".
func firstDiff(native, jit []byte) string {
	if bytes.Equal(native, jit) {
		return ""
	}
	a := strings.SplitAfter(string(native), "\n")
	b := strings.SplitAfter(string(jit), "\n")
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	line := func(l []string) string {
		if i >= len(l) || l[i] == "" {
			return "<EOF>"
		}
		return fmt.Sprintf("%q", l[i])
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "first difference at line %d (native %d bytes, jitrun %d bytes)\n", i+1, len(native), len(jit))
	if i > 0 {
		fmt.Fprintf(&sb, "  previous: %q\n", a[i-1])
	}
	fmt.Fprintf(&sb, "  native:   %s\n  jitrun:   %s", line(a), line(b))
	return sb.String()
}

func TestCorpus(t *testing.T) { runCorpus(t, "c", modes) }

func TestCorpusCxx(t *testing.T) { runCorpus(t, "cxx", cxxModes) }

func TestCorpusTLS(t *testing.T) { runCorpus(t, "tls", tlsModes) }

// runCorpus runs every program of testdata/<corpus> in every mode. The corpora,
// their modes and their programs all run in parallel (bounded by -parallel,
// workSem and ccSem), so that the slowest compiles do not serialise the suite.
func runCorpus(t *testing.T, corpus string, modes []mode) {
	t.Parallel()
	runCorpusFlags(t, corpus, "", modes, nil)
}

// runCorpusFlags runs a corpus with extra jitrun flags; a variant ("lazy", ...) names its
// subtests corpus-mode and gets output directories of its own.
func runCorpusFlags(t *testing.T, corpus, variant string, modes []mode, flags []string) {
	dirs := corpusPrograms(t, corpus)
	for _, m := range modes {
		name := m.name
		if variant != "" {
			name = corpus + "-" + m.name
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, c := range []string{m.cc, m.cxx} {
				if _, err := exec.LookPath(c); err != nil {
					t.Skipf("%s not installed", c)
				}
			}
			bin := jitrun(t)
			for _, dir := range dirs {
				p := loadProgram(t, dir)
				t.Run(p.name, func(t *testing.T) {
					if why, ok := p.skip[m.name]; ok {
						t.Skipf("skipped in mode %s: %s", m.name, why)
					}
					t.Parallel()
					workSem <- struct{}{}
					defer func() { <-workSem }()
					out := filepath.Join(tmpRoot, variant, corpus, m.name, p.name)
					if err := os.MkdirAll(out, 0o755); err != nil {
						t.Fatal(err)
					}
					b := p.build(t, m, out)
					exe := filepath.Join(out, p.name)
					if ref, ok := p.nativeRef[m.name]; ok {
						// The native toolchain cannot link this mode: the reference is
						// the native build of another mode of the same program.
						rm := modeByName(ref)
						rout := filepath.Join(out, "ref-"+ref)
						if err := os.MkdirAll(rout, 0o755); err != nil {
							t.Fatal(err)
						}
						p.linkNative(t, rm, p.build(t, rm, rout), rout, exe)
					} else {
						p.linkNative(t, m, b, out, exe)
					}

					argv := append([]string{p.name}, p.args...)
					want := run(t, nativeTimeout, exe, argv, p.stdin)

					jargs := withFlags(p.jitrunArgs(bin, b, out), flags...)
					got := run(t, jitrunTimeout, bin, jargs, p.stdin)

					same(t, want, got)
					if t.Failed() {
						t.Logf("command: %s", strings.Join(jargs, " "))
						if !bytes.Equal(want.stderr, got.stderr) && len(got.stderr) > 0 {
							t.Logf("jitrun stderr (first 2000 bytes):\n%s", head(got.stderr, 2000))
						}
					}
				})
			}
		})
	}
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// TestErrors checks that bad inputs are diagnosed cleanly.
func TestErrors(t *testing.T) {
	bin := jitrun(t)
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cc := func(args ...string) {
		cmd := exec.Command("gcc", append([]string{"-c", "-O2"}, args...)...)
		cmd.Dir = dir
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gcc %v: %v\n%s", args, err, o)
		}
	}
	write("main.c", "int main(void) { return 0; }\n")
	write("helper.c", "int helper(int x) { return x * 2; }\n")
	write("user.c", "int needed_fn(void);\nint main(void) { return needed_fn(); }\n")
	write("needed.c", "int needed_fn(void) { return 0; }\n")
	write("u1.c", "void foo(void);\nvoid callbar(void);\nint main(void) { foo(); callbar(); return 0; }\n")
	write("u2.c", "void bar(void);\nvoid callbar(void) { bar(); }\n")
	write("d1.c", "int x = 1;\nint main(void) { return x; }\n")
	write("d2.c", "int x = 2;\n")
	cc("main.c", "helper.c", "user.c", "needed.c", "u1.c", "u2.c", "d1.c", "d2.c")

	write("empty.o", "")
	helper, err := os.ReadFile(filepath.Join(dir, "helper.o"))
	if err != nil {
		t.Fatal(err)
	}
	write("trunc.o", string(helper[:100]))
	write("x.o", "this is a plain text file, not an object\n")

	// An archive whose index points at a member that is garbage.
	if o, err := exec.Command("ar", "rcs", filepath.Join(dir, "libbad.a"), filepath.Join(dir, "needed.o")).CombinedOutput(); err != nil {
		t.Fatalf("ar: %v\n%s", err, o)
	}
	lib, _ := os.ReadFile(filepath.Join(dir, "libbad.a"))
	off := bytes.Index(lib, []byte("\x7fELF"))
	if off < 0 {
		t.Fatal("no ELF member in libbad.a")
	}
	copy(lib[off:], bytes.Repeat([]byte("GARBAGE!"), 8))
	write("libbad.a", string(lib))

	type errCase struct {
		name   string
		args   []string
		want   []string // substrings of stderr
		oneLn  bool     // exactly one line of stderr
		needed string   // compiler needed to create the input
	}
	cases := []errCase{
		{name: "empty", args: []string{"main.o", "empty.o"}, want: []string{"empty.o"}, oneLn: true},
		{name: "truncated", args: []string{"main.o", "trunc.o"}, want: []string{"trunc.o"}, oneLn: true},
		{name: "text", args: []string{"main.o", "x.o"}, want: []string{"x.o"}, oneLn: true},
		{name: "aarch64", args: []string{"main.o", "arm64.o"}, want: []string{"arm64.o"}, oneLn: true, needed: "aarch64"},
		{name: "missing", args: []string{"main.o", "missing.o"}, want: []string{"missing.o"}, oneLn: true},
		{name: "garbage-member", args: []string{"user.o", "libbad.a"}, want: []string{"libbad.a"}, oneLn: true},
		{name: "undefined", args: []string{"u1.o", "u2.o"}, want: []string{"undefined reference to `foo'", "undefined reference to `bar'"}},
		{name: "duplicate", args: []string{"d1.o", "d2.o"}, want: []string{"multiple definition of `x'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.needed == "aarch64" {
				write("arm.c", "int arm_fn(int x) { return x + 1; }\n")
				var cmd *exec.Cmd
				if _, err := exec.LookPath("aarch64-linux-gnu-gcc"); err == nil {
					cmd = exec.Command("aarch64-linux-gnu-gcc", "-c", "-o", "arm64.o", "arm.c")
				} else if _, err := exec.LookPath("clang-19"); err == nil {
					cmd = exec.Command("clang-19", "--target=aarch64-linux-gnu", "-c", "-o", "arm64.o", "arm.c")
				} else {
					t.Skip("no aarch64 compiler (aarch64-linux-gnu-gcc or clang-19) installed")
				}
				cmd.Dir = dir
				if o, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%v: %v\n%s", cmd.Args, err, o)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), jitrunTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, c.args...)
			cmd.Dir = dir
			cmd.Env = testEnv()
			var so, se bytes.Buffer
			cmd.Stdout, cmd.Stderr = &so, &se
			err := cmd.Run()
			stderr := se.String()
			var ee *exec.ExitError
			switch {
			case ctx.Err() != nil:
				t.Fatalf("jitrun %v timed out", c.args)
			case err == nil:
				t.Errorf("jitrun %v succeeded, want exit status 127", c.args)
			case !errors.As(err, &ee):
				t.Fatalf("jitrun %v: %v", c.args, err)
			case ee.ExitCode() != 127:
				t.Errorf("jitrun %v: %v, want exit status 127", c.args, err)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q", w)
				}
			}
			if c.oneLn && (strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n")) {
				t.Errorf("want exactly one line on stderr")
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("stderr looks like a Go panic")
			}
			if t.Failed() {
				t.Logf("stderr:\n%s", head(se.Bytes(), 2000))
				if so.Len() > 0 {
					t.Logf("stdout:\n%s", head(so.Bytes(), 500))
				}
			}
		})
	}
}

// modeByName finds a build mode by name.
func modeByName(name string) mode {
	for _, m := range append(append([]mode{}, modes...), modeTLSDesc) {
		if m.name == name {
			return m
		}
	}
	panic("e2e: unknown mode " + name)
}
