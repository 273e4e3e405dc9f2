package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Crash reports (crash/, platform/linux/crash.c), against testdata/crash: programs that
// crash in every way, built with gcc -g -O2, run natively and under jitrun. The exit status
// (the signal) and stdout must be the native ones, stderr the native stderr followed by the
// report, and the report must name the JIT'd functions with file:line. (Checks do not rely on
// libc6-dbg: glibc's internal functions are named only when it is installed.)

// crashProg is a crash test program built natively and as an object for jitrun.
type crashProg struct {
	src, native, obj string
	cxx              bool
	debugDir         string
}

func buildCrashProg(t *testing.T, name string) *crashProg {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot(t), "testdata", "crash", name)
	p := &crashProg{src: src, cxx: strings.HasSuffix(name, ".cc"), debugDir: filepath.Join(dir, "debug")}
	base := strings.TrimSuffix(name, filepath.Ext(name))
	p.obj = filepath.Join(dir, base+".o")
	p.native = filepath.Join(dir, base)
	cc := "gcc"
	if p.cxx {
		cc = "g++"
	}
	sh(t, dir, cc, "-g", "-O2", "-c", "-o", p.obj, src)
	sh(t, dir, cc, "-o", p.native, p.obj, "-lpthread")
	return p
}

// marker returns the line of src that carries CRASH:mode.
func (p *crashProg) marker(t *testing.T, mode string) int {
	t.Helper()
	f, err := os.Open(p.src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), "CRASH:"+mode+" ") || strings.HasSuffix(sc.Text(), "CRASH:"+mode) {
			return n
		}
	}
	t.Fatalf("%s has no CRASH:%s marker", p.src, mode)
	return 0
}

// jitArgs is the jitrun command line running the program with args.
func (p *crashProg) jitArgs(t *testing.T, extra []string, args ...string) []string {
	argv := []string{jitrun(t), "--argv0=" + p.native, "--debug-dir=" + p.debugDir}
	argv = append(argv, extra...)
	argv = append(argv, p.obj)
	if p.cxx {
		argv = append(argv, "-lstdc++", "-lm")
	}
	return append(append(argv, "--"), args...)
}

// run runs the program natively and under jitrun and checks what must be native.
func (p *crashProg) run(t *testing.T, extra []string, args ...string) (native, jit result, report string) {
	t.Helper()
	native = runProg(t, runOpts{path: p.native, argv: append([]string{p.native}, args...), timeout: nativeTimeout})
	jargv := p.jitArgs(t, extra, args...)
	var d time.Duration
	d = timed(func() { jit = runProg(t, runOpts{path: jargv[0], argv: jargv, timeout: jitrunTimeout}) })
	t.Logf("jitrun run: %v (%s)", d.Round(time.Millisecond), jit.status)
	if native.status != jit.status {
		t.Errorf("status: native %s, jitrun %s", native.status, jit.status)
	}
	if d := firstDiff(native.stdout, jit.stdout); d != "" {
		t.Errorf("stdout differs: %s", d)
	}
	if !strings.HasPrefix(string(jit.stderr), string(native.stderr)) {
		t.Errorf("jitrun's stderr does not start with the native stderr %q", head(native.stderr, 400))
	}
	report = strings.TrimPrefix(string(jit.stderr), string(native.stderr))
	if t.Failed() {
		t.Logf("command: %s\nreport:\n%s", strings.Join(jargv, " "), report)
	}
	return native, jit, report
}

// section returns the lines of a report from the one starting with start up to the next
// empty line.
func section(report, start string) string {
	i := strings.Index(report, start)
	if i < 0 {
		return ""
	}
	s := report[i:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j]
	}
	return s
}

// crashedThread is the crashed thread's backtrace.
func crashedThread(report string) string {
	i := strings.Index(report, "\nBacktrace of thread ")
	if i < 0 {
		return ""
	}
	return section(report[i+1:], "Backtrace of thread ")
}

// wantFrame checks that the backtrace has a frame of fn at file:line (line 0: any line),
// inlined or not, and returns the frame's number (-1 if none).
func wantFrame(t *testing.T, bt, fn, file string, line int, inlined bool) int {
	t.Helper()
	loc := regexp.QuoteMeta(file) + `:\d+`
	if line > 0 {
		loc = regexp.QuoteMeta(file) + ":" + strconv.Itoa(line) + `\b`
	}
	pat := `(?m)^  #(\d+) +0x[0-9a-f]{16} in ` + regexp.QuoteMeta(fn) + `( \[clone [^]]*\])*(\+0x[0-9a-f]+)?( \([^)]*\))? \S*` + loc
	if inlined {
		pat += `.* \(inlined\)$`
	} else {
		pat += `.* \[(context|cfi|fp|scan)\]`
	}
	m := regexp.MustCompile(pat).FindStringSubmatch(bt)
	if m == nil {
		t.Errorf("no frame of %s at %s:%d (inlined %v) in the backtrace:\n%s", fn, file, line, inlined, bt)
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func wantIn(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, text)
		}
	}
}

// TestCrashReports crashes testdata/crash/crash.c in every way.
func TestCrashReports(t *testing.T) {
	p := buildCrashProg(t, "crash.c")
	base := filepath.Base(p.src)
	cases := []struct {
		mode, signal, code string
		at                 string   // the marker (default: mode)
		frames             []string // functions with the marker's file:line, innermost first
		inlined            string   // a function inlined at the marker
		more               []string // in the crashed thread's backtrace
		other              bool     // crashes on a thread other than main
		overflow           bool
	}{
		{mode: "segv", signal: "SIGSEGV", code: "SEGV_MAPERR", inlined: "store_at", more: []string{" in store_value+", " in main+"}},
		{mode: "thread", signal: "SIGSEGV", code: "SEGV_MAPERR", frames: []string{"thread_fault"}, more: []string{" in worker+", "(libc.so.6+"}, other: true},
		{mode: "assert", signal: "SIGABRT", code: "SI_TKILL", frames: []string{"check_invariant"}, more: []string{" in abort+", "__assert_fail", " in main+"}},
		{mode: "abort", signal: "SIGABRT", code: "SI_TKILL", frames: []string{"give_up"}, more: []string{" in abort+", " in raise+"}},
		{mode: "overflow", signal: "SIGSEGV", code: "SEGV_", frames: []string{"recurse"}, more: []string{"more times (recursion)", " in main+"}, overflow: true},
		{mode: "thread-overflow", signal: "SIGSEGV", code: "SEGV_", at: "overflow", frames: []string{"recurse"}, more: []string{"more times (recursion)", " in overflow_worker+"}, other: true, overflow: true},
		{mode: "qsort", signal: "SIGSEGV", code: "SEGV_MAPERR", frames: []string{"bad_compare"}, more: []string{"(libc.so.6+", " in main+"}},
		{mode: "fpe", signal: "SIGFPE", code: "FPE_INTDIV", frames: []string{"divide"}},
		{mode: "ill", signal: "SIGILL", code: "ILL_", frames: []string{"illegal"}},
		{mode: "trap", signal: "SIGTRAP", code: "SI_KERNEL", more: []string{" in breakpoint+"}},
		{mode: "bus", signal: "SIGBUS", code: "BUS_ADRERR", frames: []string{"bus_error"}},
		{mode: "kill", signal: "SIGSEGV", code: "SI_USER", more: []string{" in kill+", " in main+"}},
		// jitrun's own threads (the Go runtime's) must not take a signal sent to the process.
		{mode: "kill-blocked", signal: "SIGSEGV", code: "SI_USER", more: []string{" in main+"}},
		{mode: "handler", signal: "SIGSEGV", code: "SEGV_MAPERR", frames: []string{"on_signal"},
			more: []string{"<signal handler called>", " in raise+", " in main+"}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			native, _, report := p.run(t, nil, c.mode)
			if !strings.HasPrefix(native.status, "signal ") {
				t.Fatalf("native run: %s, want a signal", native.status)
			}
			wantIn(t, "report", report, "jitrun: crash report", "received "+c.signal, c.code, "\nModules:\n",
				" jit   jit:"+base+" ", " libc.so.6 ", " build-id ", "(main thread)")
			bt := crashedThread(report)
			line := 0
			if len(c.frames) > 0 || c.inlined != "" {
				at := c.at
				if at == "" {
					at = c.mode
				}
				line = p.marker(t, at)
			}
			prev := -1
			for _, fn := range c.frames {
				n := wantFrame(t, bt, fn, base, line, false)
				if n <= prev {
					t.Errorf("frame of %s (#%d) is not below #%d", fn, n, prev)
				}
				prev = n
			}
			if c.inlined != "" {
				wantFrame(t, bt, c.inlined, base, line, true)
			}
			wantIn(t, "crashed thread's backtrace", bt, c.more...)
			tid := regexp.MustCompile(`^Backtrace of thread (\d+)`).FindStringSubmatch(bt)
			pid := regexp.MustCompile(`\(pid (\d+)\)`).FindStringSubmatch(report)
			if tid == nil || pid == nil {
				t.Fatalf("no thread or pid in the report:\n%s", report)
			}
			if (tid[1] != pid[1]) != c.other {
				t.Errorf("crashed thread %s, pid %s: want another thread %v", tid[1], pid[1], c.other)
			}
			if c.other {
				main := section(report, "Thread "+pid[1]+" ")
				wantIn(t, "main thread's backtrace", main, "(main thread)", " in main+")
			}
			if c.overflow != strings.Contains(report, "STACK OVERFLOW") {
				t.Errorf("stack overflow reported: %v, want %v", !c.overflow, c.overflow)
			}
			if t.Failed() {
				t.Logf("report:\n%s", report)
			}
		})
	}
}

// TestCrashReportsCxx: an uncaught C++ exception (terminate, abort) on the main thread and on
// a std::thread, and a stack overflow on a std::thread (libstdc++ starts it: jitrun's
// pthread_create gives it a signal stack).
func TestCrashReportsCxx(t *testing.T) {
	p := buildCrashProg(t, "throw.cc")
	for _, c := range []struct {
		mode, signal, fn, at string
		more                 []string
		overflow             bool
	}{
		{"throw", "SIGABRT", "shapes::Validator::check(int) const", "throw", []string{" in __cxa_throw+", " in std::terminate()+", " in main+"}, false},
		{"thread-throw", "SIGABRT", "shapes::Validator::check(int) const", "throw", []string{" in __cxa_throw+", "(libc.so.6+"}, false},
		{"thread-overflow", "SIGSEGV", "deep(int)", "thread-overflow", []string{"more times (recursion)", "(libc.so.6+"}, true},
	} {
		t.Run(c.mode, func(t *testing.T) {
			native, _, report := p.run(t, nil, c.mode)
			if !c.overflow {
				wantIn(t, "native stderr", string(native.stderr), "terminate called after throwing an instance of 'std::out_of_range'")
			}
			wantIn(t, "report", report, "received "+c.signal, " jit   jit:throw.cc ", " libstdc++.so.6")
			bt := crashedThread(report)
			wantFrame(t, bt, c.fn, "throw.cc", p.marker(t, c.at), false)
			wantIn(t, "crashed thread's backtrace", bt, c.more...)
			if c.overflow != strings.Contains(report, "STACK OVERFLOW") {
				t.Errorf("stack overflow reported: %v, want %v", !c.overflow, c.overflow)
			}
		})
	}
}

// TestCrashProgramHandlers: a program's own handlers see its faults first and work as
// natively (siglongjmp out of SIGSEGV and SIGFPE, a handler that fixes the fault and
// returns, SA_RESETHAND, SIG_IGN, the old actions sigaction returns); the one crash left,
// after signal(SIGSEGV, SIG_DFL), is reported.
func TestCrashProgramHandlers(t *testing.T) {
	p := buildCrashProg(t, "handler.c")
	native, _, report := p.run(t, nil)
	if native.status != "signal 11 (segmentation fault)" {
		t.Errorf("native status %s", native.status)
	}
	wantIn(t, "stdout", string(native.stdout), "recovered from SIGSEGV 2", "recovered from SIGFPE", "fixed 1",
		"SA_RESETHAND: handler ran 1 time(s), now SIG_DFL", "SIGABRT handler ran: 2")
	if n := strings.Count(report, "jitrun: crash report"); n != 1 {
		t.Errorf("%d reports, want 1 (the last fault):\n%s", n, report)
	}
	wantIn(t, "report", report, "received SIGSEGV", "SEGV_MAPERR", " in main+")
}

// TestCrashOwnReporter: a program that reports its crashes itself and raises the signal
// again (or aborts) from its handler ends as natively, with the native stderr and no report.
func TestCrashOwnReporter(t *testing.T) {
	p := buildCrashProg(t, "reraise.c")
	for _, mode := range []string{"segv", "fpe"} {
		t.Run(mode, func(t *testing.T) {
			native, jit, _ := p.run(t, nil, mode)
			if !strings.HasPrefix(native.status, "signal ") {
				t.Errorf("native status %s", native.status)
			}
			if d := firstDiff(native.stderr, jit.stderr); d != "" {
				t.Errorf("stderr differs: %s", d)
			}
		})
	}
}

// TestCrashReportFiles: --crash-report=FILE writes JSON and markup; jitrun symbolize prints
// them again, symbolicated offline, with the frames of the live report; llvm-symbolizer
// reads the markup; bad input is one line and status 127.
func TestCrashReportFiles(t *testing.T) {
	p := buildCrashProg(t, "crash.c")
	out := filepath.Join(t.TempDir(), "report.json")
	_, _, report := p.run(t, []string{"--crash-report=" + out}, "segv")
	wantIn(t, "report", report, "crash report written to "+out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if doc["format"] != "jitrun-crash-report/1" {
		t.Errorf("format %v", doc["format"])
	}
	j := jitrun(t)
	sym := runProg(t, runOpts{path: j, argv: []string{j, "symbolize", out}, timeout: jitrunTimeout})
	if sym.status != "exit 0" {
		t.Fatalf("jitrun symbolize: %s\n%s", sym.status, sym.stderr)
	}
	live, offline := frameNames(crashedThread(report)), frameNames(crashedThread(string(sym.stdout)))
	if strings.Join(live, "\n") != strings.Join(offline, "\n") || len(live) < 3 {
		t.Errorf("frames differ:\nlive:\n%s\noffline:\n%s", strings.Join(live, "\n"), strings.Join(offline, "\n"))
	}
	line := p.marker(t, "segv")
	wantFrame(t, string(sym.stdout), "store_at", "crash.c", line, true)

	markup := runProg(t, runOpts{path: j, argv: []string{j, "symbolize", out + ".markup"}, timeout: jitrunTimeout})
	if markup.status != "exit 0" {
		t.Fatalf("jitrun symbolize markup: %s\n%s", markup.status, markup.stderr)
	}
	wantFrame(t, string(markup.stdout), "store_at", "crash.c", line, true)
	wantIn(t, "symbolized markup", string(markup.stdout), " in store_value+", " in main+")

	if llvm, err := exec.LookPath("llvm-symbolizer-19"); err == nil {
		cmd := exec.Command(llvm, "--filter-markup", "--debug-file-directory="+p.debugDir)
		cmd.Stdin, _ = os.Open(out + ".markup")
		o, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("llvm-symbolizer --filter-markup: %v\n%s", err, o)
		}
		wantIn(t, "llvm-symbolizer output", string(o), "store_value", fmt.Sprintf("crash.c:%d", line))
	}

	dir := t.TempDir()
	bad := map[string]string{
		"garbage.json":   "this is not a report\n",
		"truncated.json": string(data[:len(data)/2]),
		"wrong.json":     `{"format": "something/9", "pid": 1}`,
		"badref.json":    strings.Replace(string(data), `"module": 0`, `"module": 9999`, 1),
		"markup.txt":     "{{{module:0:x:elf:zz}}}\n",
	}
	for name, content := range bad {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runProg(t, runOpts{path: j, argv: []string{j, "symbolize", path}, timeout: jitrunTimeout})
		se := string(r.stderr)
		if r.status != "exit 127" || strings.Count(se, "\n") != 1 || !strings.HasPrefix(se, "jitrun: symbolize: ") ||
			strings.Contains(se, "panic") || strings.Contains(se, "goroutine") {
			t.Errorf("symbolize %s: status %s, stderr %q; want exit 127 and one line", name, r.status, se)
		}
	}
}

// frameNames lists a backtrace's frames as "function file:line".
func frameNames(bt string) []string {
	re := regexp.MustCompile(`(?m)^  #\d+ +0x[0-9a-f]+ in (\S+?)(\+0x[0-9a-f]+)?( \([^)]*\))? ?(\S+:\d+)?`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(bt, -1) {
		out = append(out, m[1]+" "+m[4])
	}
	return out
}
