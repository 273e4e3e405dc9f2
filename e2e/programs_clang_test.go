package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clangLibs are the clang archives a -cc1 driver needs (clang's FrontendTool and what it
// depends on); the linker takes what it needs from them.
var clangLibs = []string{
	"clangFrontendTool", "clangFrontend", "clangDriver", "clangSerialization", "clangCodeGen",
	"clangParse", "clangSema", "clangAPINotes", "clangAnalysis", "clangASTMatchers", "clangAST",
	"clangEdit", "clangLex", "clangBasic", "clangRewrite", "clangRewriteFrontend", "clangARCMigrate",
	"clangStaticAnalyzerFrontend", "clangStaticAnalyzerCheckers", "clangStaticAnalyzerCore",
	"clangCrossTU", "clangIndex", "clangExtractAPI", "clangInstallAPI", "clangSupport",
	"clangToolingCore", "clangToolingInclusions", "clangToolingInclusionsStdlib",
	"clangAnalysisFlowSensitive", "clangAnalysisFlowSensitiveModels", "clangFormat",
}

const clangJitTimeout = 2 * time.Minute

// clangBuild is the clang -cc1 driver linked natively (exe) and the jitrun command line
// that links the same inputs.
type clangBuild struct {
	j, dir, exe string
	jitArgs     []string
}

// buildClang compiles cc1main.cpp and links the driver natively with g++ against Debian's
// static clang and LLVM archives (~600 MB of archives, every LLVM target).
func buildClang(t *testing.T) *clangBuild {
	llvmConfig := "/usr/bin/llvm-config-19"
	requireFiles(t, prereq{llvmConfig, "llvm-19-dev"},
		prereq{filepath.Join(clangLibDir, "libclangFrontendTool.a"), "libclang-19-dev"},
		prereq{filepath.Join(clangLibDir, "libLLVMCore.a"), "llvm-19-dev"},
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
		archives = append(archives, filepath.Join(clangLibDir, "lib"+l+".a"))
	}
	archives = append(archives, config("--link-static", "--libs", "all")...) // -lLLVM...
	ldflags := config("--ldflags")                                           // -L/usr/lib/llvm-19/lib
	syslibs := config("--system-libs", "--link-static")                      // -lrt -ldl -lm libz3.so -lz -lzstd -lxml2

	exe := filepath.Join(dir, "cc1")
	native := append([]string{"-o", exe, obj}, ldflags...)
	native = append(append(append(native, "-Wl,--start-group"), archives...), "-Wl,--end-group")
	native = append(native, syslibs...)
	d := timed(func() { sh(t, dir, "g++", native...) })
	t.Logf("native link (g++, GNU ld): %v", d.Round(time.Millisecond))

	// jitrun searches archives repeatedly, so no group is needed. No C++ source is
	// given, so the C++ runtime is named explicitly, as g++ adds it.
	jitArgs := append(append([]string{j, "--argv0=" + exe, obj}, ldflags...), archives...)
	jitArgs = append(append(jitArgs, syslibs...), "-lstdc++", "-lm")
	return &clangBuild{j, dir, exe, jitArgs}
}

const clangLibDir = "/usr/lib/llvm-19/lib"

// runCases compiles C files with the native driver and under jitrun (with flags): the
// object files and assembly must be identical, and so must the diagnostics for a file with
// errors. Subtests are named prefix+case; it stops at the first failure (each run links
// the whole compiler again) and reports whether all passed.
func (cb *clangBuild) runCases(t *testing.T, prefix string, flags ...string) bool {
	res := filepath.Join(clangLibDir, "clang", "19")
	cc1 := []string{"-cc1", "-triple", "x86_64-pc-linux-gnu", "-O2", "-Wall",
		"-resource-dir", res, "-internal-isystem", filepath.Join(res, "include"),
		"-internal-externc-isystem", "/usr/include/x86_64-linux-gnu", "-internal-externc-isystem", "/usr/include",
		"-mrelocation-model", "pic", "-pic-level", "2", "-pic-is-pie"}
	inC, badC := programSrc(t, "clang", "in.c"), programSrc(t, "clang", "bad.c")
	for _, c := range []struct {
		name string
		args []string
		out  string // output file to compare, "" if none
	}{
		{"emit-obj", []string{"-emit-obj", "-o", "out.o", inC}, "out.o"},
		{"asm", []string{"-S", "-o", "out.s", inC}, "out.s"},
		{"diagnostics", []string{"-emit-obj", "-o", "bad.o", badC}, ""},
	} {
		name := prefix + c.name
		ok := t.Run(name, func(t *testing.T) {
			args := append(append([]string{}, cc1...), c.args...)
			tag := strings.ReplaceAll(name, "/", "-")
			nd, jd := filepath.Join(cb.dir, "native-"+tag), filepath.Join(cb.dir, "jit-"+tag)
			for _, d := range []string{nd, jd} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			nr := runProg(t, runOpts{path: cb.exe, argv: append([]string{cb.exe}, args...), dir: nd, timeout: nativeTimeout})
			jargv := append(append(withFlags(cb.jitArgs, flags...), "--"), args...)
			var jr result
			d := timed(func() { jr = runProg(t, runOpts{path: cb.j, argv: jargv, dir: jd, timeout: clangJitTimeout}) })
			t.Logf("native %s, jitrun %s %s in %v", nr.status, strings.Join(flags, " "), jr.status, d.Round(time.Millisecond))
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
			return false
		}
	}
	return true
}

// TestClang links a clang -cc1 driver (testdata/programs/clang/cc1main.cpp) from Debian's
// static clang and LLVM archives, natively with g++ and under jitrun, and compiles C files
// with both (clangBuild.runCases).
func TestClang(t *testing.T) {
	cb := buildClang(t)
	cb.runCases(t, "")
	j, jitArgs := cb.j, cb.jitArgs

	// Link statistics for the log.
	cmd := exec.Command(j, append([]string{"--noexec", "--stats"}, jitArgs[1:]...)...)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Logf("jitrun --noexec --stats:\n%s", out)
	}
}
