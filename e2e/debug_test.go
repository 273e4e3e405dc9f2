package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Debugger and profiler support, driven through the real tools in batch mode against
// testdata/debug/prog.c (leaf <- middle (inlined) <- outer <- main).

func needTool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed: skipping", strings.Join(names, " / "))
	return ""
}

// debugRoot is the repository root.
func debugRoot(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// jitrunTB builds jitrun for a benchmark.
func jitrunTB(b testing.TB) string {
	j := filepath.Join(b.TempDir(), "jitrun")
	cmd := exec.Command("go", "build", "-o", j, "github.com/jitrun/jitrun/cmd/jitrun")
	cmd.Dir = debugRoot(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return j
}

// debugProg compiles testdata/debug/NAME.c with gcc -g -O2 into a fresh directory.
func debugProg(t testing.TB, name string) (dir, obj string) {
	t.Helper()
	dir = t.TempDir()
	obj = filepath.Join(dir, name+".o")
	src := filepath.Join(debugRoot(t), "testdata", "debug", name+".c")
	cmd := exec.Command("gcc", "-g", "-O2", "-c", "-o", obj, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return dir, obj
}

// tool runs a debugger command and returns its combined output.
func tool(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s timed out:\n%s", name, out)
	}
	_ = err // debuggers' exit status reflects the inferior's
	return string(out)
}

func wantAll(t *testing.T, what, out string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(out) {
			t.Errorf("%s: no match for %q in:\n%s", what, p, out)
		}
	}
}

// TestGDBLaunch: without any setting, names and unwinding into the host; through
// "jitrun gdb", pending breakpoints by file:line and name, file:line, arguments, locals and
// inlined frames.
func TestGDBLaunch(t *testing.T) {
	gdb := needTool(t, "gdb")
	j := jitrun(t)
	dir, obj := debugProg(t, "prog")
	ddir := filepath.Join(dir, "debug")
	out := tool(t, nil, gdb, "-nx", "-batch", "-ex", "set breakpoint pending on", "-ex", "break leaf", "-ex", "run", "-ex", "bt",
		"--args", j, "--debug-dir="+ddir, obj)
	wantAll(t, "gdb, no setting", out, `#0 .* in leaf \(\)`, `#1 .* in outer \(\)`, `#2 .* in main \(\)`, `#3 .* in jitrun_run_main`)

	out = tool(t, nil, j, "gdb", "-nx", "-batch", "-ex", "break prog.c:12", "-ex", "break outer", "-ex", "run", "-ex", "bt",
		"-ex", "continue", "-ex", "bt", "-ex", "info locals", "--args", "--debug-dir="+ddir, obj)
	wantAll(t, "jitrun gdb", out,
		`Breakpoint 2, outer \(n=1\) at .*prog\.c:23`,
		`Breakpoint 1, leaf \(depth=2, tag=.*"mid"\) at .*prog\.c:12`,
		`#1 .* in middle \(n=.*\) at .*prog\.c:23`, // inlined
		`#2 +outer \(n=.*\) at .*prog\.c:28`,
		`main \(argc=.*\) at .*prog\.c:33`,
		`in jitrun_run_main`,
		`local = 14`)
}

// TestGDBLazy: with --lazy, code linked on a first call is named and unwound too, by gdb
// alone (the in-memory symbols of the batch that linked it, including a function nothing
// in its own batch calls: prog_main) and through "jitrun gdb" (its DWARF: file:line and
// arguments).
func TestGDBLazy(t *testing.T) {
	gdb := needTool(t, "gdb")
	j := jitrun(t)
	dir := t.TempDir()
	src := filepath.Join(debugRoot(t), "testdata", "debug")
	progObj, mainObj := filepath.Join(dir, "prog.o"), filepath.Join(dir, "lazymain.o")
	sh(t, dir, "gcc", "-g", "-O2", "-Dmain=prog_main", "-c", "-o", progObj, filepath.Join(src, "prog.c"))
	sh(t, dir, "gcc", "-g", "-O2", "-c", "-o", mainObj, filepath.Join(src, "lazymain.c"))
	ddir := filepath.Join(dir, "debug")
	out := tool(t, nil, gdb, "-nx", "-batch", "-ex", "set breakpoint pending on", "-ex", "break leaf", "-ex", "run", "-ex", "bt",
		"--args", j, "--lazy", "--debug-dir="+ddir, mainObj, progObj)
	wantAll(t, "gdb --lazy, no setting", out, `#0 .* in leaf \(\)`, `#1 .* in outer \(\)`, `#2 .* in prog_main \(\)`,
		`#3 .* in main \(\)`, `#4 .* in jitrun_run_main`)

	out = tool(t, nil, j, "gdb", "-nx", "-batch", "-ex", "break leaf", "-ex", "run", "-ex", "bt",
		"--args", "--lazy", "--debug-dir="+ddir, mainObj, progObj)
	wantAll(t, "jitrun gdb --lazy", out,
		`Breakpoint 1, leaf \(depth=2, tag=.*"mid"\) at .*prog\.c:1[12]`,
		`outer \(n=.*\) at .*prog\.c:28`,
		`prog_main \(argc=.*\) at .*prog\.c:33`,
		`main \(argc=.*\) at .*lazymain\.c:6`,
		`in jitrun_run_main`)
}

// TestLLDBLaunch: the same with lldb.
func TestLLDBLaunch(t *testing.T) {
	lldb := needTool(t, "lldb", "lldb-19")
	j := jitrun(t)
	dir, obj := debugProg(t, "prog")
	ddir := filepath.Join(dir, "debug")
	out := tool(t, nil, lldb, "-b", "-o", "process handle -p true -s false -n false SIGURG", "-o", "breakpoint set -n leaf",
		"-o", "run", "-o", "bt", "--", j, "--debug-dir="+ddir, obj)
	wantAll(t, "lldb, no setting", out, "frame #0: .*`leaf", "frame #1: .*`outer", "frame #2: .*`main", "frame #3: .*jitrun_run_main")

	out = tool(t, nil, j, "lldb", "-b", "-o", "breakpoint set -f prog.c -l 12", "-o", "breakpoint set -n outer",
		"-o", "run", "-o", "bt", "-o", "continue", "-o", "bt", "-o", "frame variable", "--args", "--debug-dir="+ddir, obj)
	wantAll(t, "jitrun lldb", out,
		"`outer\\(n=1\\) at prog.c:2[37]",
		"`leaf\\(depth=.*tag=\"mid\"\\) at prog.c:12",
		"`outer \\[inlined\\] middle\\(n=.*\\) at prog.c:23",
		"`main\\(argc=.*\\) at prog.c:33",
		"jitrun_run_main",
		`\(int\) local = 14`)
}

// startWaiting runs prog under jitrun until it says "ready" (it then sleeps in leaf), and
// waits for its debug file.
func startWaiting(t testing.TB, j string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(j, args...)
	cmd.Env = append(os.Environ(), "DEBUG_TEST_WAIT=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ready <- sc.Scan() && sc.Text() == "ready"
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("program did not get ready")
		}
	case <-time.After(time.Minute):
		t.Fatal("program did not get ready in a minute")
	}
	return cmd
}

func waitDebugFile(t testing.TB, ddir string) {
	t.Helper()
	for i := 0; i < 600; i++ {
		if m, _ := filepath.Glob(filepath.Join(ddir, ".build-id", "*", "*.debug")); len(m) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no debug file written")
}

// TestAttach: gdb -p and lldb -p on a running jitrun, with and without the debug directory.
func TestAttach(t *testing.T) {
	j := jitrun(t)
	dir, obj := debugProg(t, "prog")
	ddir := filepath.Join(dir, "debug")
	cmd := startWaiting(t, j, "--debug-dir="+ddir, obj)
	waitDebugFile(t, ddir)
	pid := strconv.Itoa(cmd.Process.Pid)
	t.Run("gdb", func(t *testing.T) {
		gdb := needTool(t, "gdb")
		out := tool(t, nil, gdb, "-nx", "-batch", "-p", pid, "-ex", "thread 1", "-ex", "bt")
		wantAll(t, "gdb -p", out, `in leaf \(\)`, `in outer \(\)`, `in main \(\)`, `in jitrun_run_main`)
		out = tool(t, nil, gdb, "-nx", "-batch", "-iex", "set debug-file-directory /usr/lib/debug:"+ddir, "-p", pid, "-ex", "thread 1", "-ex", "bt")
		wantAll(t, "gdb -p with debug-file-directory", out, `in leaf \(depth=.*\) at .*prog\.c:17`,
			`in middle \(n=.*\) at .*prog\.c:23`, `outer \(n=.*\) at .*prog\.c:28`, `main \(.*\) at .*prog\.c:33`, `in jitrun_run_main`)
	})
	t.Run("lldb", func(t *testing.T) {
		lldb := needTool(t, "lldb", "lldb-19")
		out := tool(t, nil, lldb, "-b", "-p", pid, "-o", "thread select 1", "-o", "bt")
		wantAll(t, "lldb -p", out, "`leaf \\+", "`outer \\+", "`main \\+", "jitrun_run_main")
		out = tool(t, nil, lldb, "-b", "-O", "settings append target.debug-file-search-paths "+ddir, "-p", pid, "-o", "thread select 1", "-o", "bt")
		wantAll(t, "lldb -p with search path", out, "`leaf\\(.*\\) at prog.c:17", "`outer \\[inlined\\] middle\\(.*\\) at prog.c:23",
			"`main\\(.*\\) at prog.c:33", "jitrun_run_main")
	})
}

// TestStrippedHost: a jitrun built with -ldflags=-s keeps the GDB JIT interface symbols in
// .dynsym, so gdb still names JIT'd functions.
func TestStrippedHost(t *testing.T) {
	gdb := needTool(t, "gdb")
	dir, obj := debugProg(t, "prog")
	j := filepath.Join(dir, "jitrun-stripped")
	build := exec.Command("go", "build", "-ldflags=-s", "-o", j, "github.com/jitrun/jitrun/cmd/jitrun")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, _ := exec.Command("nm", "-D", j).Output()
	for _, s := range []string{"__jit_debug_register_code", "__jit_debug_descriptor"} {
		if !strings.Contains(string(out), " "+s+"\n") {
			t.Errorf("stripped jitrun does not export %s", s)
		}
	}
	if out, _ := exec.Command("nm", j).CombinedOutput(); !strings.Contains(string(out), "no symbols") {
		t.Errorf("jitrun not stripped: %.200s", out)
	}
	got := tool(t, nil, gdb, "-nx", "-batch", "-ex", "set breakpoint pending on", "-ex", "break leaf", "-ex", "run", "-ex", "bt",
		"--args", j, "--debug-dir="+filepath.Join(dir, "debug"), obj)
	wantAll(t, "gdb on a stripped jitrun", got, `#0 .* in leaf \(\)`, `#1 .* in outer \(\)`, `#2 .* in main \(\)`)
}

// TestDebugOff: --debug=off writes no debug file.
func TestDebugOff(t *testing.T) {
	j := jitrun(t)
	dir, obj := debugProg(t, "prog")
	ddir := filepath.Join(dir, "debug")
	r := run(t, jitrunTimeout, j, []string{j, "--debug=off", "--debug-dir=" + ddir, obj}, nil)
	if r.status != "exit 0" {
		t.Fatalf("status %s: %s", r.status, r.stderr)
	}
	if _, err := os.Stat(ddir); !os.IsNotExist(err) {
		t.Errorf("--debug=off created %s", ddir)
	}
	help := run(t, jitrunTimeout, j, []string{j, "--debug-help", "--debug-dir=" + ddir}, nil)
	wantAll(t, "--debug-help", string(help.stdout), "set debug-file-directory /usr/lib/debug:"+regexp.QuoteMeta(ddir),
		"settings append target.debug-file-search-paths "+regexp.QuoteMeta(ddir))
}

// TestPerf: --perf-map names JIT'd functions in perf report directly; --jitdump gives a
// dump perf inject --jit accepts, after which perf report names them too.
func TestPerf(t *testing.T) {
	perf := needTool(t, "perf")
	j := jitrun(t)
	dir, obj := debugProg(t, "spin")
	data := filepath.Join(dir, "perf.data")
	jd := filepath.Join(dir, "jit")
	rec := exec.Command(perf, "record", "-q", "-k", "mono", "-o", data, j, "--perf-map", "--jitdump", "--debug=off", obj)
	rec.Env = append(os.Environ(), "JITDUMPDIR="+jd)
	if out, err := rec.CombinedOutput(); err != nil {
		t.Skipf("perf record does not work here (%v): %s", err, out)
	}
	report := func(in string) string {
		out, err := exec.Command(perf, "report", "-i", in, "--stdio", "--sort", "sym").CombinedOutput()
		if err != nil {
			t.Fatalf("perf report: %v\n%s", err, out)
		}
		return string(out)
	}
	wantAll(t, "perf report with the perf map", report(data), `\[\.\] hot_loop`)
	dumps, _ := filepath.Glob(filepath.Join(jd, "jitrun-*", "jit-*.dump"))
	if len(dumps) != 1 {
		t.Fatalf("jitdumps: %v", dumps)
	}
	injected := filepath.Join(dir, "perf.jit.data")
	if out, err := exec.Command(perf, "inject", "--jit", "-i", data, "-o", injected).CombinedOutput(); err != nil {
		t.Fatalf("perf inject --jit: %v\n%s", err, out)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(dumps[0]), "jitted-*.so")); len(m) == 0 {
		t.Error("perf inject made no jitted-*.so")
	}
	wantAll(t, "perf report after inject", report(injected), `\[\.\] hot_loop`)
}

// BenchmarkDebugLoad is the load (link, no run) time of prog with and without debugger
// support, and the time gdb takes to attach to it and print a backtrace.
// JITRUN_BENCH_INPUTS (word-split) replaces prog with bigger inputs, e.g. CPython's.
func BenchmarkDebugLoad(b *testing.B) {
	j := jitrunTB(b)
	_, obj := debugProg(b, "prog")
	inputs := []string{obj}
	if s := os.Getenv("JITRUN_BENCH_INPUTS"); s != "" {
		inputs = strings.Fields(s)
	}
	ddir := b.TempDir()
	for _, mode := range []string{"off", "on"} {
		b.Run("debug="+mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				args := append([]string{"--noexec", "--debug=" + mode, "--debug-dir=" + ddir}, inputs...)
				if out, err := exec.Command(j, args...).CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
			}
		})
	}
}

// BenchmarkGDBAttach is gdb -p on a running jitrun, with the debug directory, plus bt.
func BenchmarkGDBAttach(b *testing.B) {
	gdb := needTool(b, "gdb")
	j := jitrunTB(b)
	_, obj := debugProg(b, "prog")
	ddir := b.TempDir()
	t := b
	cmd := startWaiting(t, j, "--debug-dir="+ddir, obj)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	waitDebugFile(t, ddir)
	pid := strconv.Itoa(cmd.Process.Pid)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, _ := exec.Command(gdb, "-nx", "-batch", "-iex", "set debug-file-directory "+ddir, "-p", pid, "-ex", "thread 1", "-ex", "bt").CombinedOutput()
		if !strings.Contains(string(out), "prog.c:17") {
			b.Fatalf("no JIT'd frame with file:line:\n%s", out)
		}
	}
}

// TestInputPagesReleasedAfterRegistration: the background debugger registration reads the
// inputs again after the link (symbol names, the build id's hash of the debug sections);
// once it is done their pages must leave the program's resident set, as they left it at the
// end of the link. (clang compiling a large file kept 227 MB of its archives resident for
// the whole compile.) testdata/cli/release_main.c waits for the debug file, then for the
// archive's mapping to hold no resident page.
func TestInputPagesReleasedAfterRegistration(t *testing.T) {
	j := jitrun(t)
	dir := cliDir(t, "release_main.c", "release_lib.c")
	sh(t, dir, "gcc", "-g", "-O2", "-c", "release_main.c", "release_lib.c")
	sh(t, dir, "ar", "rcs", "librelease.a", "release_lib.o")
	ddir := filepath.Join(dir, "debug")
	r := runAt(t, dir, j, "--debug-dir="+ddir, filepath.Join(dir, "release_main.o"), "-L"+dir, "-lrelease", "--", ddir, "/librelease.a")
	if r.status != "exit 0" || string(r.stdout) != "9 8 release\nreleased\n" {
		t.Fatalf("status %s, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
	}
}
