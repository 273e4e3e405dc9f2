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

// TestDlopenSemantics checks glibc's dlopen semantics on JIT'd dylibs against real shared
// libraries run natively: a dylib with a dependency (initialised first, finalised after, its
// symbols in the dylib's scope and reached through RTLD_NEXT), LOCAL/GLOBAL/NOLOAD/NODELETE,
// dlopen(NULL), RTLD_DEFAULT, dlvsym, dladdr1, dlinfo, reference counts, reload on fresh
// data, a failed load that leaves nothing behind, per-thread dlerror, the exit order of
// finalizers, and a precompiled library (gcc -shared) whose own dlopen/dlsym/dladdr/dlclose
// calls reach the JIT'd dylibs.
func TestDlopenSemantics(t *testing.T) {
	j := jitrun(t)
	dir := dlDir(t, "sem_host.c", "sem_plug.c", "sem_dep.c", "sem_bad.c", "sem_nd.c", "sem_native.c")
	for _, l := range []string{"dep", "bad", "nd", "native"} {
		sh(t, dir, "gcc", "-O2", "-shared", "-fPIC", "-o", "libsem_"+l+".so", "sem_"+l+".c")
	}
	sh(t, dir, "gcc", "-O2", "-shared", "-fPIC", "-o", "libsem_plug.so", "sem_plug.c", "-L.", "-lsem_dep", "-Wl,-rpath,$ORIGIN")
	sh(t, dir, "gcc", "-O2", "-rdynamic", "-o", "host", "sem_host.c", "-L.", "-lsem_native", "-Wl,-rpath,$ORIGIN")
	sh(t, dir, "gcc", "-O2", "-c", "sem_host.c", "sem_plug.c", "sem_dep.c", "sem_bad.c", "sem_nd.c")
	native := runAtEnv(t, dir, []string{"LD_LIBRARY_PATH=" + dir}, filepath.Join(dir, "host"))
	if !strings.Contains(string(native.stdout), "native: plug_fn found") {
		t.Fatalf("native run did not load the plugin from the precompiled library:\n%s%s", native.stdout, native.stderr)
	}
	r := runAtEnv(t, dir, []string{"LD_LIBRARY_PATH=" + dir}, j, "--argv0="+filepath.Join(dir, "host"), "-L.", "-lsem_native",
		"--dylib=libsem_plug.so=sem_plug.o,-lsem_dep", "--dylib=libsem_dep.so=sem_dep.o",
		"--dylib=libsem_bad.so=sem_bad.o", "--dylib=libsem_nd.so=sem_nd.o", "sem_host.o")
	same(t, native, r)
}

// TestDlopenCxx loads a C++ plugin twice, natively (g++ -shared) and as a JIT'd dylib:
// static objects, vtables and typeinfo in the plugin, exceptions across the boundary,
// thread_local destructors, static destructors at dlclose, fresh statics on reload.
func TestDlopenCxx(t *testing.T) {
	j := jitrun(t)
	dir := dlDir(t, "cxx_host.cpp", "cxx_plugin.cpp", "cxx_iface.h")
	sh(t, dir, "g++", "-O2", "-shared", "-fPIC", "-o", "libcxxplugin.so", "cxx_plugin.cpp")
	sh(t, dir, "g++", "-O2", "-o", "host", "cxx_host.cpp")
	sh(t, dir, "g++", "-O2", "-c", "cxx_host.cpp", "cxx_plugin.cpp")
	native := runAt(t, dir, filepath.Join(dir, "host"), "./libcxxplugin.so")
	if !strings.Contains(string(native.stdout), "caught from plugin: unknown shape hexagon") {
		t.Fatalf("native run incomplete:\n%s%s", native.stdout, native.stderr)
	}
	same(t, native, runAt(t, dir, j, "--argv0="+filepath.Join(dir, "host"), "--dylib=libcxxplugin.so=cxx_plugin.o",
		"cxx_host.o", "-lstdc++", "-lm", "--", "./libcxxplugin.so"))
}
