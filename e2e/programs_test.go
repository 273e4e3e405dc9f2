package e2e

// The "whole programs" tier: real programs linked from the system's static archives
// (Lua, SQLite, OpenSSL's libcrypto, CPython, clang), run natively (linked by gcc) and
// under jitrun, comparing stdout, stderr and exit status byte for byte. Host programs
// live in testdata/programs/<name>/.
//
// A test whose archives are not installed is skipped, naming the Debian package that
// provides them.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const sysLibDir = "/usr/lib/x86_64-linux-gnu"

// prereq is a file a test needs and the Debian package that installs it.
type prereq struct{ path, pkg string }

// requireFiles skips the test if a prerequisite is missing.
func requireFiles(t *testing.T, files ...prereq) {
	t.Helper()
	var missing []string
	for _, f := range files {
		if _, err := os.Stat(f.path); err != nil {
			missing = append(missing, fmt.Sprintf("%s (apt-get install %s)", f.path, f.pkg))
		}
	}
	if len(missing) > 0 {
		t.Skipf("not installed: %s", strings.Join(missing, ", "))
	}
}

// programSrc is the path of a file under testdata/programs.
func programSrc(t *testing.T, elem ...string) string {
	return filepath.Join(append([]string{repoRoot(t), "testdata", "programs"}, elem...)...)
}

// runOpts describes one program run.
type runOpts struct {
	path    string   // executable
	argv    []string // argv, argv[0] included
	dir     string   // working directory; a fresh one if ""
	env     []string // environment; testEnv() if nil
	stdin   []byte
	timeout time.Duration
}

// runProg runs a program and returns its result (like run, with more control).
func runProg(t *testing.T, o runOpts) result {
	t.Helper()
	if o.dir == "" {
		wd, err := os.MkdirTemp(tmpRoot, "run-")
		if err != nil {
			t.Fatal(err)
		}
		o.dir = wd
	}
	if o.env == nil {
		o.env = testEnv()
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.path)
	cmd.Args = o.argv
	cmd.Dir = o.dir
	cmd.Env = o.env
	cmd.Stdin = bytes.NewReader(o.stdin)
	// Kill the whole process group on timeout: CPython's tests start children.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	r := result{stdout: so.Bytes(), stderr: se.Bytes()}
	switch {
	case ctx.Err() != nil:
		r.status = fmt.Sprintf("timeout after %v", o.timeout)
	case cmd.ProcessState == nil:
		t.Fatalf("running %s: %v", o.path, err)
	default:
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			r.status = fmt.Sprintf("signal %d (%v)", int(ws.Signal()), ws.Signal())
		} else {
			r.status = fmt.Sprintf("exit %d", ws.ExitStatus())
		}
	}
	return r
}

// timed runs f and returns how long it took.
func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// compareRuns is same() plus, on failure, the jitrun command and the head of its stderr
// (jitrun's own errors are there).
func compareRuns(t *testing.T, native, jit result, jargv []string) {
	t.Helper()
	same(t, native, jit)
	if t.Failed() {
		t.Logf("jitrun command: %s", strings.Join(jargv, " "))
		if len(jit.stderr) > 0 && !bytes.Equal(native.stderr, jit.stderr) {
			t.Logf("jitrun stderr (first 3000 bytes):\n%s", head(jit.stderr, 3000))
		}
	}
}

// simpleProgram builds a one-file C host program against static archives, links it
// natively with gcc -no-pie, and compares native and jitrun runs.
func simpleProgram(t *testing.T, src string, libs []string, args ...string) {
	j := jitrun(t)
	dir := t.TempDir()
	obj := filepath.Join(dir, "main.o")
	exe := filepath.Join(dir, "prog")
	sh(t, dir, "gcc", "-g", "-O2", "-Wall", "-c", "-o", obj, src)
	sh(t, dir, "gcc", append([]string{"-no-pie", "-o", exe, obj}, libs...)...)

	native := runProg(t, runOpts{path: exe, argv: append([]string{exe}, args...), timeout: nativeTimeout})
	jargv := append([]string{j, "--argv0=" + exe, obj}, libs...)
	jargv = append(append(jargv, "--"), args...)
	var jit result
	d := timed(func() { jit = runProg(t, runOpts{path: j, argv: jargv, timeout: jitrunTimeout}) })
	t.Logf("jitrun run: %v (%s)", d.Round(time.Millisecond), jit.status)
	compareRuns(t, native, jit, jargv)
}

// TestLua runs a Lua 5.4 script (closures, coroutines, metatables, patterns, errors,
// the GC, number formatting, utf8, C functions called from Lua and Lua called from C)
// in a host program linked with liblua5.4.a.
func TestLua(t *testing.T) {
	lib := filepath.Join(sysLibDir, "liblua5.4.a")
	requireFiles(t, prereq{lib, "liblua5.4-dev"})
	simpleProgram(t, programSrc(t, "lua", "luamain.c"), []string{lib, "-lm"},
		programSrc(t, "lua", "test.lua"), "first arg", "second")
}

// TestSQLite runs an in-memory database workload with user-defined SQL functions (called
// back from sqlite into JIT'd code), linked with libsqlite3.a.
func TestSQLite(t *testing.T) {
	lib := filepath.Join(sysLibDir, "libsqlite3.a")
	requireFiles(t, prereq{lib, "libsqlite3-dev"})
	simpleProgram(t, programSrc(t, "sqlite", "sqlite_main.c"), []string{lib, "-lm"})
}

// TestOpenSSL runs digests, HMAC, AEAD ciphers, KDFs and bignum arithmetic from
// libcrypto.a.
func TestOpenSSL(t *testing.T) {
	lib := filepath.Join(sysLibDir, "libcrypto.a")
	requireFiles(t, prereq{lib, "libssl-dev"}, prereq{filepath.Join(sysLibDir, "libzstd.so"), "libzstd-dev"},
		prereq{filepath.Join(sysLibDir, "libz.so"), "zlib1g-dev"})
	simpleProgram(t, programSrc(t, "openssl", "crypto_main.c"), []string{lib, "-lz", "-lzstd"})
}

// execOutput runs a command and returns its standard output.
func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}
