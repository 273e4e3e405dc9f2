package e2e

import "testing"

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
			py.runOneliners(t)
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
	cb := buildClang(t)
	for _, v := range lazyVariants {
		if !cb.runCases(t, v.name+"/", v.flags...) {
			return
		}
	}
}
