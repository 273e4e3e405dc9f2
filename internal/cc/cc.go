// Package cc owns compiling C and C++ sources to object files with the
// system compiler, memoized in a content-keyed on-disk object cache keyed on
// the compiler, flags, language and preprocessed source.
package cc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Options control how sources are compiled.
type Options struct {
	CC, CXX  string    // compilers; default $CC / $CXX env, else "cc" / "c++"; may include leading arguments ("ccache gcc")
	Flags    []string  // default (nil): -g -O2 ; used for both languages
	CacheDir string    // default: $XDG_CACHE_HOME/jitrun/cc or ~/.cache/jitrun/cc ; created 0700
	Stderr   io.Writer // compiler diagnostics; default os.Stderr
}

// cacheVersion is mixed into every key; bump it to invalidate old entries.
const cacheVersion = "jitrun-cc-v1"

// Kind reports whether path is a C or C++ source by extension (.c; .cc .cpp .cxx .C .c++).
func Kind(path string) (isSource, isCXX bool) {
	switch filepath.Ext(path) {
	case ".c":
		return true, false
	case ".cc", ".cpp", ".cxx", ".C", ".c++":
		return true, true
	}
	return false, false
}

// DefaultCacheDir returns the cache directory used when Options.CacheDir is empty.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir() // $XDG_CACHE_HOME, else $HOME/.cache
	if err != nil {
		// No home (a daemon, a bare environment): a per-user directory under the temp dir.
		return filepath.Join(os.TempDir(), fmt.Sprintf("jitrun-%d", os.Getuid()), "cc"), nil
	}
	return filepath.Join(base, "jitrun", "cc"), nil
}

// Object compiles src to an object file in the cache and returns the object's path; a cache hit does no compile.
func Object(src string, opt Options) (string, error) {
	isSrc, isCXX := Kind(src)
	if !isSrc {
		return "", fmt.Errorf("%s: not a C or C++ source file (unknown extension %q)", src, filepath.Ext(src))
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", err
	}

	compiler, lang, envName, def := opt.CC, "c", "CC", "cc"
	if isCXX {
		compiler, lang, envName, def = opt.CXX, "c++", "CXX", "c++"
	}
	if compiler == "" {
		compiler = os.Getenv(envName)
	}
	argv := strings.Fields(compiler)
	if len(argv) == 0 {
		argv = []string{def}
	}
	prog, err := exec.LookPath(argv[0])
	if err != nil {
		return "", fmt.Errorf("%s: compiler: %w", src, err)
	}
	progAbs, err := filepath.Abs(prog)
	if err != nil {
		return "", fmt.Errorf("%s: compiler: %w", src, err)
	}
	fi, err := os.Stat(progAbs)
	if err != nil {
		return "", fmt.Errorf("%s: compiler: %w", src, err)
	}
	flags := opt.Flags
	if flags == nil {
		flags = []string{"-g", "-O2"}
	}
	stderr := opt.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	dir := opt.CacheDir
	if dir == "" {
		if dir, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("object cache: %w", err)
	}

	base := append([]string{progAbs}, argv[1:]...)
	base = append(base, flags...)
	name := filepath.Base(argv[0])

	// Preprocess: the output covers every header the source includes.
	pp, err := preprocess(base, abs, dir, stderr)
	if err != nil {
		return "", fmt.Errorf("%s: preprocessing failed (%s %v)", src, name, err)
	}

	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		io.WriteString(h, s)
	}
	field(cacheVersion)
	field(progAbs)
	field(fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano()))
	field(fmt.Sprint(len(base)))
	for _, a := range base[1:] {
		field(a)
	}
	field(lang)
	field(string(pp))
	obj := filepath.Join(dir, hex.EncodeToString(h.Sum(nil))+".o")

	if st, err := os.Stat(obj); err == nil && st.Mode().IsRegular() {
		return obj, nil
	}

	tmpFD, tmpName, err := createTemp(dir, ".o")
	if err != nil {
		return "", fmt.Errorf("object cache: %w", err)
	}
	syscall.Close(tmpFD)
	if err := run(append(base, "-c", abs, "-o", tmpName), nil, stderr); err != nil {
		os.Remove(tmpName)
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("%s: compilation failed (%s %v)", src, name, err)
		}
		return "", fmt.Errorf("%s: compilation failed: %w", src, err)
	}
	if st, err := os.Stat(tmpName); err != nil || st.Size() == 0 {
		os.Remove(tmpName)
		return "", fmt.Errorf("%s: compilation failed (%s wrote no object file)", src, name)
	}
	if err := os.Rename(tmpName, obj); err != nil {
		os.Remove(tmpName)
		return "", fmt.Errorf("object cache: %w", err)
	}
	return obj, nil
}

// The compiler runs without package os's pipes or files where it can: an os.File made by
// os.Open or os.Pipe starts the Go runtime's poller, whose descriptors the JIT'd program
// would see. Descriptors opened with system calls and wrapped with os.NewFile do not.

var tempSeq atomic.Uint64

// createTemp creates a new private file dir/tmp-<random><suffix> and returns its descriptor.
func createTemp(dir, suffix string) (int, string, error) {
	// Names from the process id, the clock and a counter (crypto/rand would start the Go
	// runtime's poller: it arms a timer to warn when entropy is slow).
	for i := 0; i < 100; i++ {
		p := filepath.Join(dir, fmt.Sprintf("tmp-%d-%d-%d%s", os.Getpid(), time.Now().UnixNano(), tempSeq.Add(1), suffix))
		fd, err := syscall.Open(p, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
		if err == nil {
			return fd, p, nil
		}
		if err != syscall.EEXIST {
			return -1, "", &os.PathError{Op: "create", Path: p, Err: err}
		}
	}
	return -1, "", fmt.Errorf("%s: cannot create a temporary file", dir)
}

// run runs argv with stdin from /dev/null, stdout to the descriptor out (or to stderr when
// out is nil) and stderr to stderr.
func run(argv []string, out *os.File, stderr io.Writer) error {
	ef, isFile := stderr.(*os.File)
	if !isFile {
		// A writer that is not a file needs a pipe (tests, API users): plain os/exec.
		cmd := exec.Command(argv[0], argv[1:]...)
		if out != nil {
			cmd.Stdout = out
		} else {
			cmd.Stdout = stderr
		}
		cmd.Stderr = stderr
		return cmd.Run()
	}
	nullFD, err := syscall.Open(os.DevNull, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	null := os.NewFile(uintptr(nullFD), os.DevNull)
	defer null.Close()
	if out == nil {
		out = ef
	}
	p, err := os.StartProcess(argv[0], argv, &os.ProcAttr{Files: []*os.File{null, out, ef}})
	if err != nil {
		return err
	}
	st, err := p.Wait()
	if err != nil {
		return err
	}
	if !st.Success() {
		return &exec.ExitError{ProcessState: st}
	}
	return nil
}

// preprocess runs the compiler with -E into a temporary file and returns its output.
func preprocess(base []string, src, dir string, stderr io.Writer) ([]byte, error) {
	fd, name, err := createTemp(dir, ".i")
	if err != nil {
		return nil, err
	}
	defer os.Remove(name)
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	if err := run(append(append([]string{}, base...), "-E", src), f, stderr); err != nil {
		return nil, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	buf := make([]byte, st.Size)
	for off := 0; off < len(buf); {
		n, err := syscall.Pread(fd, buf[off:], int64(off))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return buf[:off], nil
		}
		off += n
	}
	return buf, nil
}
