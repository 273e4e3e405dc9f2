package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dlDir copies testdata/dl sources into a fresh directory.
func dlDir(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "dl", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDlopen runs a host that dlopens a plugin, natively against a gcc -shared -fPIC plugin
// and under jitrun against the same source as a JIT'd dylib (declared with --dylib, and
// given to dlopen as a path to the object): initializers and finalizers per load, symbols,
// callbacks into the host, dladdr, dlerror, RTLD_NOLOAD, dl_iterate_phdr, reload.
func TestDlopen(t *testing.T) {
	j := jitrun(t)
	dir := dlDir(t, "host.c", "plugin.c")
	sh(t, dir, "gcc", "-O2", "-shared", "-fPIC", "-o", "libplugin.so", "plugin.c")
	sh(t, dir, "gcc", "-O2", "-rdynamic", "-o", "host", "host.c")
	sh(t, dir, "gcc", "-O2", "-c", "host.c", "plugin.c")
	native := runAt(t, dir, filepath.Join(dir, "host"), filepath.Join(dir, "libplugin.so"))
	same(t, native, runAt(t, dir, j, "--argv0="+filepath.Join(dir, "host"), "--dylib=libplugin.so="+filepath.Join(dir, "plugin.o"),
		filepath.Join(dir, "host.o"), "--", filepath.Join(dir, "libplugin.so")))
	if !strings.Contains(string(native.stdout), "dladdr: plugin_run in libplugin.so") {
		t.Errorf("native run did not exercise dladdr:\n%s", native.stdout)
	}
	// dlopen of a relocatable object links it as a new dylib (named by its path).
	r := runAt(t, dir, j, "--argv0=host", filepath.Join(dir, "host.o"), "--", filepath.Join(dir, "plugin.o"))
	if r.status != "exit 0" || !strings.Contains(string(r.stdout), "dladdr: plugin_run in plugin.o") ||
		strings.Count(string(r.stdout), "plugin init") != 2 || strings.Count(string(r.stdout), "plugin fini") != 2 {
		t.Errorf("dlopen of plugin.o: %s\n%s%s", r.status, r.stdout, r.stderr)
	}
}

// TestDlopenStress runs 8 threads x 1000 dlopen/dlsym/call/dlclose cycles on a JIT'd dylib:
// no failure, no mapping left behind, resident memory within a constant of the first cycle.
func TestDlopenStress(t *testing.T) {
	j := jitrun(t)
	dir := dlDir(t, "stress.c", "plugin.c")
	sh(t, dir, "gcc", "-O2", "-c", "stress.c", "plugin.c")
	cmdline := []string{j, "--argv0=stress", "--dylib=libplugin.so=" + filepath.Join(dir, "plugin.o"),
		filepath.Join(dir, "stress.o"), "--", "./libplugin.so", "1000"}
	r := runAt(t, dir, cmdline...)
	want := "failures: 0\nmappings grew: no\nresident memory grew more than 8 MiB: no\n"
	if r.status != "exit 0" || string(r.stdout) != want {
		t.Errorf("stress: %s\nstdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	t.Logf("%s", strings.TrimSpace(string(r.stderr)))
}
