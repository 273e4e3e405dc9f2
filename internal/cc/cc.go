// Package cc owns compiling C and C++ sources to object files with the
// system compiler, memoized in a content-keyed on-disk object cache keyed on
// the compiler, flags, language and preprocessed source.
package cc

import (
	"bytes"
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
	var pp bytes.Buffer
	cmd := exec.Command(base[0], append(base[1:], "-E", abs)...)
	cmd.Stdout = &pp
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
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
	field(pp.String())
	obj := filepath.Join(dir, hex.EncodeToString(h.Sum(nil))+".o")

	if st, err := os.Stat(obj); err == nil && st.Mode().IsRegular() {
		return obj, nil
	}

	tmp, err := os.CreateTemp(dir, "tmp-*.o")
	if err != nil {
		return "", fmt.Errorf("object cache: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	cmd = exec.Command(base[0], append(base[1:], "-c", abs, "-o", tmpName)...)
	cmd.Stdout = stderr
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
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
