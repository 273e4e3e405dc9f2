package cc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// setup puts fake compilers "fakecc" and "fakecxx" that count their -c runs
// on PATH and returns a function reporting the count.
func setup(t *testing.T) (dir string, compiles func() int) {
	t.Helper()
	for _, tool := range []string{"gcc", "g++"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not available", tool)
		}
	}
	dir = t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	count := filepath.Join(dir, "count")
	for name, real := range map[string]string{"fakecc": "gcc", "fakecxx": "g++"} {
		script := "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = -c ] && echo x >> \"$CC_TEST_COUNT\"; done\nexec " + real + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("CC_TEST_COUNT", count)
	return dir, func() int {
		data, _ := os.ReadFile(count)
		return bytes.Count(data, []byte("x"))
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKind(t *testing.T) {
	for p, want := range map[string][2]bool{
		"a.c": {true, false}, "a.cc": {true, true}, "x/a.cpp": {true, true}, "a.cxx": {true, true},
		"a.C": {true, true}, "a.c++": {true, true}, "a.h": {false, false}, "a.o": {false, false}, "c": {false, false},
	} {
		if s, x := Kind(p); s != want[0] || x != want[1] {
			t.Errorf("Kind(%q) = %v, %v", p, s, x)
		}
	}
}

func TestCacheHitAndInvalidation(t *testing.T) {
	dir, compiles := setup(t)
	cache := filepath.Join(dir, "cache")
	opt := Options{CC: "fakecc", CXX: "fakecxx", CacheDir: cache}
	write(t, filepath.Join(dir, "h.h"), "#define V 1\n")
	src := filepath.Join(dir, "hello.c")
	write(t, src, "#include \"h.h\"\nint hello(void) { return V; }\n")

	obj1, err := Object(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache dir: %v %v", fi.Mode(), err)
	}
	st1, err := os.Stat(obj1)
	if err != nil || !strings.HasSuffix(obj1, ".o") || filepath.Dir(obj1) != cache {
		t.Fatalf("object %s: %v", obj1, err)
	}
	if data, _ := os.ReadFile(obj1); !bytes.HasPrefix(data, []byte("\x7fELF")) {
		t.Errorf("%s is not ELF", obj1)
	}
	if n := compiles(); n != 1 {
		t.Fatalf("compiles = %d, want 1", n)
	}

	obj2, err := Object(src, opt)
	if err != nil || obj2 != obj1 {
		t.Fatalf("second call: %s %v", obj2, err)
	}
	st2, _ := os.Stat(obj2)
	if n := compiles(); n != 1 || !st2.ModTime().Equal(st1.ModTime()) {
		t.Errorf("cache hit recompiled: compiles = %d", n)
	}

	// Different flags: different key.
	opt2 := opt
	opt2.Flags = []string{"-O0"}
	if obj, err := Object(src, opt2); err != nil || obj == obj1 || compiles() != 2 {
		t.Errorf("flags change: %s %v compiles=%d", obj, err, compiles())
	}

	// Header change invalidates.
	write(t, filepath.Join(dir, "h.h"), "#define V 2\n")
	obj3, err := Object(src, opt)
	if err != nil || obj3 == obj1 || compiles() != 3 {
		t.Errorf("header change: %s %v compiles=%d", obj3, err, compiles())
	}
	// No temp files left behind.
	left, _ := filepath.Glob(filepath.Join(cache, "tmp-*"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

func TestCXX(t *testing.T) {
	dir, compiles := setup(t)
	src := filepath.Join(dir, "k.cpp")
	write(t, src, "#include <vector>\nint k() { std::vector<int> v{1,2}; return v.size(); }\n")
	opt := Options{CC: "fakecc", CXX: "fakecxx", CacheDir: filepath.Join(dir, "cache")}
	a, err := Object(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Object(src, opt)
	if err != nil || a != b || compiles() != 1 {
		t.Errorf("C++ cache: %s %s %v compiles=%d", a, b, err, compiles())
	}
}

func TestEnvDefault(t *testing.T) {
	dir, compiles := setup(t)
	t.Setenv("CC", "fakecc")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "xdg"))
	src := filepath.Join(dir, "e.c")
	write(t, src, "int e;\n")
	obj, err := Object(src, Options{})
	if err != nil || filepath.Dir(obj) != filepath.Join(dir, "xdg", "jitrun", "cc") || compiles() != 1 {
		t.Errorf("env defaults: %s %v compiles=%d", obj, err, compiles())
	}
}

func TestCompileError(t *testing.T) {
	dir, _ := setup(t)
	src := filepath.Join(dir, "bad.c")
	write(t, src, "int f(void) { return x; }\n")
	var diag bytes.Buffer
	_, err := Object(src, Options{CC: "fakecc", CacheDir: filepath.Join(dir, "cache"), Stderr: &diag})
	want := src + ": compilation failed (fakecc exit status 1)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if !strings.Contains(diag.String(), "error") {
		t.Errorf("diagnostics not forwarded: %q", diag.String())
	}
	left, _ := filepath.Glob(filepath.Join(dir, "cache", "*"))
	if len(left) != 0 {
		t.Errorf("cache not empty after failure: %v", left)
	}

	// Missing header fails in the preprocessor.
	write(t, src, "#include \"nope.h\"\n")
	_, err = Object(src, Options{CC: "fakecc", CacheDir: filepath.Join(dir, "cache"), Stderr: &diag})
	if err == nil || !strings.Contains(err.Error(), "bad.c: preprocessing failed (fakecc exit status 1)") {
		t.Errorf("missing header: %v", err)
	}
	if _, err := Object(filepath.Join(dir, "x.h"), Options{}); err == nil || !strings.Contains(err.Error(), "not a C or C++ source") {
		t.Errorf("header as source: %v", err)
	}
	if _, err := Object(filepath.Join(dir, "missing.c"), Options{CacheDir: dir}); err == nil {
		t.Error("missing source: no error")
	}
}
