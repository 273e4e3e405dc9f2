package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sh runs a build command in dir and fails the test if it fails.
func sh(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// cliDir copies testdata/cli sources into a fresh directory.
func cliDir(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot(t), "testdata", "cli")
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runAt runs a program in dir (with the harness's fixed environment) and returns its result.
func runAt(t *testing.T, dir string, argv ...string) result {
	t.Helper()
	return runProg(t, runOpts{path: argv[0], argv: argv, dir: dir, timeout: jitrunTimeout})
}

// runAtEnv is runAt with variables added to the harness's environment.
func runAtEnv(t *testing.T, dir string, env []string, argv ...string) result {
	t.Helper()
	return runProg(t, runOpts{path: argv[0], argv: argv, dir: dir, env: append(testEnv(), env...), timeout: jitrunTimeout})
}

// crashRule opens and closes the crash report jitrun prints when a program dies by a signal.
const crashRule = "==================================================================\n"

// withoutCrashReport removes the crash report from the stderr of a run that died by a signal:
// the crash tests check reports; everywhere else the rest must match the native run.
func withoutCrashReport(r result) result {
	if !strings.HasPrefix(r.status, "signal") {
		return r
	}
	start := bytes.Index(r.stderr, []byte(crashRule+"jitrun: crash report\n"))
	if start < 0 {
		return r
	}
	rest := r.stderr[start+len(crashRule):]
	end := bytes.Index(rest, []byte(crashRule))
	if end < 0 {
		return r
	}
	r.stderr = append(append([]byte(nil), r.stderr[:start]...), rest[end+len(crashRule):]...)
	return r
}

// same compares a native run with a jitrun run (less jitrun's crash report, if any).
func same(t *testing.T, native, jit result) {
	t.Helper()
	jit = withoutCrashReport(jit)
	if native.status != jit.status {
		t.Errorf("status: native %s, jitrun %s", native.status, jit.status)
	}
	if d := firstDiff(native.stdout, jit.stdout); d != "" {
		t.Errorf("stdout differs: %s", d)
	}
	if d := firstDiff(native.stderr, jit.stderr); d != "" {
		t.Errorf("stderr differs: %s", d)
	}
}

// TestSources runs C and C++ sources directly: jitrun compiles them (cached) and adds the
// C++ runtime for C++ sources, as g++ would.
func TestSources(t *testing.T) {
	j := jitrun(t)
	hello := filepath.Join(repoRoot(t), "testdata", "c", "hello", "main.c")
	dir := cliDir(t, "cxx_basic.cc")
	sh(t, dir, "gcc", "-g", "-O2", "-o", "hello", hello)
	sh(t, dir, "g++", "-g", "-O2", "-o", "cxx", "cxx_basic.cc")
	same(t, runAt(t, dir, filepath.Join(dir, "hello"), "world"),
		runAt(t, dir, j, "--argv0="+filepath.Join(dir, "hello"), hello, "--", "world"))
	same(t, runAt(t, dir, filepath.Join(dir, "cxx")),
		runAt(t, dir, j, "--argv0="+filepath.Join(dir, "cxx"), filepath.Join(dir, "cxx_basic.cc")))
}

// TestMap links without running and prints the map.
func TestMap(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "thin_main.c", "thin_a.c", "thin_b.c")
	sh(t, dir, "gcc", "-c", "thin_main.c", "thin_a.c", "thin_b.c")
	r := runAt(t, dir, j, "--noexec", "--map", filepath.Join(dir, "thin_main.o"), filepath.Join(dir, "thin_a.o"),
		filepath.Join(dir, "thin_b.o"), "-lm")
	if r.status != "exit 0" {
		t.Fatalf("status %s, stderr %s", r.status, r.stderr)
	}
	out := string(r.stdout)
	for _, want := range []string{"# segments", " r-x", "# sections", ".text " + filepath.Join(dir, "thin_a.o"), "# symbols", " main ", "thin_b ", "# external symbols", "sqrt"} {
		if !strings.Contains(out, want) {
			t.Errorf("map lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1.414") {
		t.Errorf("--noexec ran the program")
	}
}

// TestSharedLibraryCallback links a program against a precompiled shared library (-L/-l)
// whose undefined symbols are the program's own function and variable.
func TestSharedLibraryCallback(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "callback_main.c", "callback_lib.c")
	sh(t, dir, "gcc", "-shared", "-fPIC", "-o", "libcb.so", "callback_lib.c")
	for _, m := range [][]string{{"-O2"}, {"-O2", "-fno-pic"}} {
		sh(t, dir, "gcc", append(m, "-c", "callback_main.c")...)
		ld := []string{"-o", "prog", "callback_main.o", "-L" + dir, "-lcb", "-Wl,-rpath," + dir}
		if m[len(m)-1] == "-fno-pic" {
			ld = append(ld, "-no-pie")
		}
		sh(t, dir, "gcc", ld...)
		same(t, runAt(t, dir, filepath.Join(dir, "prog")),
			runAt(t, dir, j, "--argv0="+filepath.Join(dir, "prog"), filepath.Join(dir, "callback_main.o"), "-L", dir, "-lcb"))
	}
}

// TestThinArchiveAndScript links from a thin archive named through a GNU ld script.
func TestThinArchiveAndScript(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "thin_main.c", "thin_a.c", "thin_b.c")
	sh(t, dir, "gcc", "-c", "thin_main.c", "thin_a.c", "thin_b.c")
	sh(t, dir, "ar", "rcsT", "libthin.a", "thin_a.o", "thin_b.o")
	script := "/* GNU ld script */\nGROUP ( libthin.a AS_NEEDED ( -lm ) )\n"
	if err := os.WriteFile(filepath.Join(dir, "libdeps.so"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	sh(t, dir, "gcc", "-o", "prog", "thin_main.o", "libthin.a", "-lm")
	native := runAt(t, dir, filepath.Join(dir, "prog"))
	same(t, native, runAt(t, dir, j, "--argv0="+filepath.Join(dir, "prog"), filepath.Join(dir, "thin_main.o"), "-L"+dir, "-ldeps"))
	same(t, native, runAt(t, dir, j, "--argv0="+filepath.Join(dir, "prog"), filepath.Join(dir, "thin_main.o"), filepath.Join(dir, "libdeps.so")))
}

// TestCopyRelocation checks that a shared library's variable reached directly from
// position-dependent and PIE code is one variable shared with the library (libm's signgam,
// which libm also reaches through an alias).
func TestCopyRelocation(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "signgam.c")
	for _, m := range [][]string{{"-O0"}, {"-O0", "-fno-pic"}, {"-O0", "-fPIC"}} {
		sh(t, dir, "gcc", append(m, "-c", "signgam.c")...)
		sh(t, dir, "gcc", "-no-pie", "-o", "prog", "signgam.o", "-lm")
		same(t, runAt(t, dir, filepath.Join(dir, "prog")),
			runAt(t, dir, j, "--argv0="+filepath.Join(dir, "prog"), filepath.Join(dir, "signgam.o"), "-lm"))
	}
}

// TestUsageErrors checks jitrun's own failures: status 127 and one line.
func TestUsageErrors(t *testing.T) {
	j := jitrun(t)
	dir := t.TempDir()
	noMain := filepath.Join(dir, "nomain.c")
	if err := os.WriteFile(noMain, []byte("int f(void) { return 1; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus", noMain}, "unknown option --bogus"},
		{[]string{noMain}, "undefined reference to `main'"},
		{[]string{"-lno_such_library_xyz", noMain}, "cannot find -lno_such_library_xyz"},
		{[]string{filepath.Join(dir, "missing.o")}, "missing.o: no such file or directory"},
	} {
		r := runAt(t, dir, append([]string{j}, c.args...)...)
		if r.status != "exit 127" || !strings.Contains(string(r.stderr), c.want) || strings.Count(string(r.stderr), "\n") != 1 {
			t.Errorf("jitrun %v: status %s, stderr %q; want exit 127 and one line with %q", c.args, r.status, r.stderr, c.want)
		}
	}
}

// TestBackgroundWorkTakesNoDescriptors: what jitrun does in the background while the program
// runs (debugger registration, releasing the inputs' pages) opens no descriptor in the
// program's table, where it would take numbers the program expects free. A collection of
// the link's garbage a second after start-up did: the Go runtime's scavenger then sleeps
// on a timer, and the first timer starts the runtime's poller (an epoll and an eventfd,
// which took 3 and 4; CPython's test_os and test_subprocess failed). testdata/cli/settle.c
// lists its descriptors at start and 1.8 s later.
func TestBackgroundWorkTakesNoDescriptors(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "settle.c")
	sh(t, dir, "gcc", "-O2", "-c", "settle.c")
	r := runAt(t, dir, j, "--debug-dir="+filepath.Join(dir, "debug"), filepath.Join(dir, "settle.o"))
	if r.status != "exit 0" || string(r.stdout) != "done\n" {
		t.Fatalf("status %s, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
	}
}
