package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// regrtestModules are CPython regression test modules run under both interpreters, slowest
// first (native timings on 2 idle cores: test_signal 47 s, test_ssl 41 s, test_subprocess
// 24 s, test_threading 11 s, test_lzma 10 s, the others 0.2-4 s). test_faulthandler
// crashes the interpreter on purpose: its handlers and jitrun's crash reporter must coexist.
// Debian's libpython3.11-testsuite ships no package-directory tests (test_capi,
// test_sqlite3); test_call, which drives _testcapi, and the _testcapi one-liner stand in for test_capi.
var regrtestModules = []string{
	"test_signal", "test_ssl", "test_subprocess", "test_threading", "test_lzma", "test_pickle",
	"test_bz2", "test_datetime", "test_os", "test_decimal", "test_exceptions", "test_unicode",
	"test_json", "test_math", "test_hashlib", "test_ctypes", "test_zlib", "test_struct",
	"test_dict", "test_call", "test_faulthandler",
}

const regrtestTimeout = 10 * time.Minute

// pythonBuild is CPython linked from Debian's static libpython3.11.a: natively, and as a
// jitrun command line behind a small wrapper program, which is the JIT'd interpreter's
// sys.executable (tests start sys.executable as a child process).
type pythonBuild struct {
	native  string   // natively linked interpreter
	wrapper string   // program that execs jitrun with jitArgs (pywrap.c)
	jitArgs []string // jitrun command line up to "--", --argv0=wrapper included
	home    string   // $HOME for the runs
}

func buildPython(t *testing.T) *pythonBuild {
	lib := filepath.Join(sysLibDir, "libpython3.11.a")
	config := "/usr/bin/python3.11-config"
	requireFiles(t, prereq{lib, "libpython3.11-dev"}, prereq{config, "libpython3.11-dev"},
		prereq{"/usr/lib/python3.11/test/libregrtest", "libpython3.11-testsuite"},
		prereq{filepath.Join(sysLibDir, "libexpat.so"), "libexpat1-dev"})
	j := jitrun(t)
	dir := t.TempDir()
	// The Debian python3.11-config, not one that happens to be first on PATH (pyenv).
	out, err := execOutput(config, "--includes")
	if err != nil {
		t.Fatalf("%s --includes: %v", config, err)
	}
	obj := filepath.Join(dir, "pymain.o")
	sh(t, dir, "gcc", append(append([]string{"-O2", "-c", "-o", obj}, strings.Fields(out)...),
		programSrc(t, "cpython", "pymain.c"))...)
	libs := []string{lib, "-lexpat", "-lz", "-lm"}
	py := &pythonBuild{native: filepath.Join(dir, "python"), wrapper: filepath.Join(dir, "python-jit"), home: dir}
	// -Wl,-E exports the interpreter's symbols to the extension modules it dlopens.
	sh(t, dir, "gcc", append([]string{"-no-pie", "-Wl,-E", "-o", py.native, obj}, libs...)...)
	py.jitArgs = append([]string{j, "--argv0=" + py.wrapper, obj}, libs...)
	sh(t, dir, "gcc", "-O2", "-o", py.wrapper, programSrc(t, "cpython", "pywrap.c"))
	if err := os.WriteFile(py.wrapper+".args", []byte(strings.Join(py.jitArgs, "\x00")+"\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	return py
}

// runOneliners runs each line of testdata/programs/cpython/oneliners.txt with -c, natively
// and under jitrun, as a subtest named after the modules its first statement imports.
func (py *pythonBuild) runOneliners(t *testing.T) {
	for i, code := range readLines(t, programSrc(t, "cpython", "oneliners.txt")) {
		if strings.HasPrefix(code, "#") || strings.TrimSpace(code) == "" {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(code, "import "), ";")
		name := fmt.Sprintf("%02d_%s", i, strings.Trim(nonIdent.ReplaceAllString(first, "_"), "_"))
		t.Run(name, func(t *testing.T) {
			native, _ := py.run(t, false, nativeTimeout, "-c", code)
			jit, argv := py.run(t, true, jitrunTimeout, "-c", code)
			compareRuns(t, native, jit, argv)
		})
	}
}

func (py *pythonBuild) env() []string {
	return append(testEnv(), "HOME="+py.home)
}

// run runs the native interpreter (jit false) or the JIT'd one with args.
func (py *pythonBuild) run(t *testing.T, jit bool, timeout time.Duration, args ...string) (result, []string) {
	t.Helper()
	var argv []string
	if jit {
		argv = append(append(append([]string{}, py.jitArgs...), "--"), args...)
	} else {
		argv = append([]string{py.native}, args...)
	}
	return runProg(t, runOpts{path: argv[0], argv: argv, env: py.env(), timeout: timeout}), argv
}

// TestCPython runs CPython from libpython3.11.a under jitrun: one-liners that import
// extension modules from lib-dynload (which bind to the JIT'd interpreter), and CPython's
// own regression tests, comparing each with the natively linked interpreter.
func TestCPython(t *testing.T) {
	py := buildPython(t)

	t.Run("executable", func(t *testing.T) {
		code := `import sys, subprocess; print(sys.executable); ` +
			`print(subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True).stdout, end="")`
		for _, c := range []struct {
			jit bool
			exe string
		}{{false, py.native}, {true, py.wrapper}} {
			r, argv := py.run(t, c.jit, jitrunTimeout, "-c", code)
			if want := c.exe + "\n42\n"; r.status != "exit 0" || string(r.stdout) != want {
				t.Errorf("%s: status %s, stdout %q, want %q\nstderr:\n%s", strings.Join(argv, " "), r.status, r.stdout, want,
					head(r.stderr, 3000))
			}
		}
	})

	t.Run("oneliners", py.runOneliners)

	// Every run above linked the same program: they share one debug file. (libpython is
	// non-PIC: its data holds libm's and libc's addresses, which ASLR changes every run;
	// the build id must not follow them, or each run writes another 1.4 MB file.)
	t.Run("one debug file", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(py.home, ".cache", "jitrun", "debug", ".build-id", "*", "*.debug"))
		if len(files) != 1 {
			t.Errorf("the runs left %d debug files, want 1: %v", len(files), files)
		}
	})

	t.Run("regrtest", func(t *testing.T) {
		// At most two interpreters at a time (the tests are CPU-bound and some start
		// children of their own).
		sem := make(chan struct{}, 2)
		var mu sync.Mutex
		var timings []string
		for _, mod := range regrtestModules {
			t.Run(mod, func(t *testing.T) {
				t.Parallel()
				runOne := func(jit bool) (result, []string, time.Duration) {
					sem <- struct{}{}
					defer func() { <-sem }()
					var r result
					var argv []string
					d := timed(func() { r, argv = py.run(t, jit, regrtestTimeout, "-m", "test", "-v", mod) })
					return r, argv, d
				}
				native, _, dn := runOne(false)
				jit, argv, dj := runOne(true)
				mu.Lock()
				timings = append(timings, fmt.Sprintf("%-16s native %6.1fs  jitrun %6.1fs", mod, dn.Seconds(), dj.Seconds()))
				mu.Unlock()
				compareRegrtest(t, native, jit, argv)
			})
		}
		t.Cleanup(func() {
			sort.Strings(timings)
			t.Logf("regrtest timings:\n%s", strings.Join(timings, "\n"))
		})
	})
}

var (
	nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)
	// regrtestSummaryRE matches the lines of a regrtest -v run that summarize it: unittest's
	// count and verdict, and regrtest's result lines.
	regrtestSummaryRE = regexp.MustCompile(`(?m)^(Ran \d+ tests?|OK( \(.*\))?$|FAILED \(.*\)$|== Tests result: .* ==$|\d+ tests? (OK|failed|skipped|omitted|altered the execution environment|run no tests).*$|Tests result: .*$)`)
	// regrtestCaseRE matches one test case's verdict in unittest's verbose output.
	regrtestCaseRE = regexp.MustCompile(`(?m)^(test\w*) \(([\w.]+)\)(?:\n[^\n]*)? \.\.\. (ok|skipped.*|FAIL|ERROR|expected failure|unexpected success)$`)
)

// regrtestSummary extracts the summary lines of a regrtest run.
func regrtestSummary(out []byte) []string {
	return regrtestSummaryRE.FindAllString(string(out), -1)
}

// regrtestCases maps test case ids to their verdicts (best effort: a test's own output
// can separate a case's name from its verdict).
func regrtestCases(out []byte) map[string]string {
	m := map[string]string{}
	for _, c := range regrtestCaseRE.FindAllStringSubmatch(string(out), -1) {
		m[c[2]+"."+c[1]] = c[3]
	}
	return m
}

// compareRegrtest requires the same exit status and the same summary (counts of tests run,
// skipped and failed, and regrtest's verdict) from both interpreters.
func compareRegrtest(t *testing.T, native, jit result, jargv []string) {
	t.Helper()
	out := func(r result) []byte { return append(append([]byte{}, r.stdout...), r.stderr...) }
	ns, js := regrtestSummary(out(native)), regrtestSummary(out(jit))
	if len(ns) == 0 {
		t.Errorf("native run has no test summary (status %s):\n%s", native.status, tailBytes(out(native), 3000))
	}
	t.Logf("native: %s; %s", native.status, strings.Join(ns, "; "))
	if native.status != jit.status || strings.Join(ns, "\n") != strings.Join(js, "\n") {
		t.Errorf("results differ\n  native: %s; %s\n  jitrun: %s; %s", native.status, strings.Join(ns, "; "),
			jit.status, strings.Join(js, "; "))
		nc, jc := regrtestCases(out(native)), regrtestCases(out(jit))
		var diffs []string
		for id, v := range nc {
			if jc[id] != v {
				diffs = append(diffs, fmt.Sprintf("  %s: native %q, jitrun %q", id, v, jc[id]))
			}
		}
		for id, v := range jc {
			if _, ok := nc[id]; !ok {
				diffs = append(diffs, fmt.Sprintf("  %s: native -, jitrun %q", id, v))
			}
		}
		sort.Strings(diffs)
		if len(diffs) > 40 {
			diffs = append(diffs[:40], "  ...")
		}
		t.Logf("test cases that differ:\n%s", strings.Join(diffs, "\n"))
		t.Logf("jitrun command: %s", strings.Join(jargv, " "))
		t.Logf("jitrun output (last 4000 bytes):\n%s", tailBytes(out(jit), 4000))
	}
}

func tailBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
