package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// withFlags inserts jitrun flags after the jitrun binary of a command line.
func withFlags(argv []string, flags ...string) []string {
	return append(append(append([]string{}, argv[0]), flags...), argv[1:]...)
}

// TestCPythonLazy runs the CPython one-liners (extension modules binding to the lazily
// linked interpreter) and a few regression-test modules with --lazy and with --lazy
// --speculate, comparing each with the natively linked interpreter.
func TestCPythonLazy(t *testing.T) {
	py := buildPython(t)
	base := py.jitArgs
	for _, v := range lazyVariants {
		t.Run(v.name, func(t *testing.T) {
			py := *py
			py.jitArgs = withFlags(base, v.flags...)
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
			for _, mod := range []string{"test_json", "test_math", "test_exceptions", "test_threading", "test_decimal"} {
				t.Run(mod, func(t *testing.T) {
					native, _ := py.run(t, false, regrtestTimeout, "-m", "test", "-v", mod)
					jit, argv := py.run(t, true, regrtestTimeout, "-m", "test", "-v", mod)
					compareRegrtest(t, native, jit, argv)
				})
			}
		})
	}
}

// TestClangLazy links the clang -cc1 driver of TestClang with --lazy (and --lazy
// --speculate) and compiles the same C files: objects, assembly and diagnostics must be
// the natively linked compiler's, byte for byte.
func TestClangLazy(t *testing.T) {
	llvmConfig := "/usr/bin/llvm-config-19"
	libDir := "/usr/lib/llvm-19/lib"
	requireFiles(t, prereq{llvmConfig, "llvm-19-dev"},
		prereq{filepath.Join(libDir, "libclangFrontendTool.a"), "libclang-19-dev"},
		prereq{filepath.Join(libDir, "libLLVMCore.a"), "llvm-19-dev"},
		prereq{filepath.Join(sysLibDir, "libz3.so"), "libz3-dev"},
		prereq{filepath.Join(sysLibDir, "libzstd.so"), "libzstd-dev"},
		prereq{filepath.Join(sysLibDir, "libxml2.so"), "libxml2-dev"})
	j := jitrun(t)
	dir := t.TempDir()
	config := func(args ...string) []string {
		out, err := execOutput(llvmConfig, args...)
		if err != nil {
			t.Fatalf("%s %s: %v", llvmConfig, strings.Join(args, " "), err)
		}
		return strings.Fields(out)
	}
	obj := filepath.Join(dir, "cc1main.o")
	sh(t, dir, "g++", append(append(config("--cxxflags"), "-O2", "-c", "-o", obj),
		programSrc(t, "clang", "cc1main.cpp"))...)
	var archives []string
	for _, l := range clangLibs {
		archives = append(archives, filepath.Join(libDir, "lib"+l+".a"))
	}
	archives = append(archives, config("--link-static", "--libs", "all")...)
	ldflags := config("--ldflags")
	syslibs := config("--system-libs", "--link-static")
	exe := filepath.Join(dir, "cc1")
	native := append([]string{"-o", exe, obj}, ldflags...)
	native = append(append(append(native, "-Wl,--start-group"), archives...), "-Wl,--end-group")
	native = append(native, syslibs...)
	sh(t, dir, "g++", native...)
	jitArgs := append(append([]string{j, "--argv0=" + exe, obj}, ldflags...), archives...)
	jitArgs = append(append(jitArgs, syslibs...), "-lstdc++", "-lm")

	res := filepath.Join(libDir, "clang", "19")
	cc1 := []string{"-cc1", "-triple", "x86_64-pc-linux-gnu", "-O2", "-Wall",
		"-resource-dir", res, "-internal-isystem", filepath.Join(res, "include"),
		"-internal-externc-isystem", "/usr/include/x86_64-linux-gnu", "-internal-externc-isystem", "/usr/include",
		"-mrelocation-model", "pic", "-pic-level", "2", "-pic-is-pie"}
	inC, badC := programSrc(t, "clang", "in.c"), programSrc(t, "clang", "bad.c")
	for _, v := range lazyVariants {
		for _, c := range []struct {
			name string
			args []string
			out  string
		}{
			{"emit-obj", []string{"-emit-obj", "-o", "out.o", inC}, "out.o"},
			{"asm", []string{"-S", "-o", "out.s", inC}, "out.s"},
			{"diagnostics", []string{"-emit-obj", "-o", "bad.o", badC}, ""},
		} {
			ok := t.Run(v.name+"/"+c.name, func(t *testing.T) {
				args := append(append([]string{}, cc1...), c.args...)
				nd, jd := filepath.Join(dir, v.name+"-native-"+c.name), filepath.Join(dir, v.name+"-jit-"+c.name)
				for _, d := range []string{nd, jd} {
					if err := os.Mkdir(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				nr := runProg(t, runOpts{path: exe, argv: append([]string{exe}, args...), dir: nd, timeout: nativeTimeout})
				jargv := append(append(withFlags(jitArgs, v.flags...), "--"), args...)
				var jr result
				d := timed(func() { jr = runProg(t, runOpts{path: j, argv: jargv, dir: jd, timeout: clangJitTimeout}) })
				t.Logf("native %s, jitrun %s %s in %v", nr.status, strings.Join(v.flags, " "), jr.status, d.Round(time.Millisecond))
				compareRuns(t, nr, jr, jargv)
				if c.out == "" || t.Failed() {
					return
				}
				nb, err := os.ReadFile(filepath.Join(nd, c.out))
				if err != nil {
					t.Fatal(err)
				}
				jb, err := os.ReadFile(filepath.Join(jd, c.out))
				if err != nil {
					t.Fatalf("jitrun's cc1 wrote no %s: %v", c.out, err)
				}
				if !bytes.Equal(nb, jb) {
					t.Errorf("%s differs: native %d bytes, jitrun %d bytes", c.out, len(nb), len(jb))
				}
			})
			if !ok {
				return
			}
		}
	}
}
