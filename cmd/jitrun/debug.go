package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jitrun/jitrun/debuginfo"
	"github.com/jitrun/jitrun/orcrt"
)

// debugOptions takes the debugger and profiler options out of args (up to "--").
// help reports --debug-help.
func debugOptions(args []string) (o orcrt.Options, rest []string, help bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case a == "--debug=off" || a == "--debug=on":
			o.NoDebug = a == "--debug=off"
		case strings.HasPrefix(a, "--debug="):
			return o, nil, false, fmt.Errorf("option --debug takes on or off, not %q", a[len("--debug="):])
		case strings.HasPrefix(a, "--debug-dir="):
			d := a[len("--debug-dir="):]
			if abs, err := filepath.Abs(d); err == nil {
				d = abs
			}
			o.DebugDir = d
		case a == "--debug-help":
			help = true
		case a == "--perf-map":
			o.PerfMap = true
		case a == "--jitdump":
			o.JITDump = true
		default:
			rest = append(rest, a)
		}
	}
	return o, rest, help, nil
}

func debugDir(o orcrt.Options) string {
	if o.DebugDir != "" {
		return o.DebugDir
	}
	return debuginfo.DefaultDir()
}

func gdbSetting(dir string) string  { return "set debug-file-directory /usr/lib/debug:" + dir }
func lldbSetting(dir string) string { return "settings append target.debug-file-search-paths " + dir }

const lldbSignals = "process handle -p true -s false -n false SIGURG"

func debugHelp(dir string) string {
	return fmt.Sprintf(`Debug files of JIT'd code are in %[1]s, named by build id.
Without any setting, gdb and lldb name JIT'd functions and unwind through them. To get
file:line, arguments, locals, inlined frames and breakpoints in not-yet-loaded code:

  gdb:   %[2]s
         (gdb -iex '%[2]s' --args jitrun ..., or in ~/.gdbinit)
  lldb:  %[3]s
         (lldb -O '%[3]s' -- jitrun ..., or in ~/.lldbinit)
         and, as for any Go program: %[4]s

or let jitrun start the debugger with the setting: jitrun gdb ARGS..., jitrun lldb ARGS...
`, dir, gdbSetting(dir), lldbSetting(dir), lldbSignals)
}

// runDebugger replaces jitrun with gdb or lldb running jitrun ARGS, with the debug directory
// set, pending breakpoints on, and JITRUN_DEBUG_SYNC=1 so each link's debug file is in place
// before the debugger hears of the code. Debugger options may come first, ended by --args.
func runDebugger(which string, args []string) int {
	var dbgArgs []string
	for i, a := range args {
		if a == "--args" {
			dbgArgs, args = args[:i], args[i+1:]
			break
		}
	}
	opts, _, _, err := debugOptions(args)
	if err != nil {
		return fail(err)
	}
	dir := debugDir(opts)
	if err := debuginfo.EnsureDir(dir); err != nil {
		return fail(err)
	}
	self, err := os.Executable()
	if err != nil {
		return fail(err)
	}
	var argv []string
	if which == "gdb" {
		argv = append([]string{"gdb", "-iex", gdbSetting(dir), "-iex", "set breakpoint pending on"}, dbgArgs...)
		argv = append(argv, "--args", self)
	} else {
		which = lldbBinary()
		// The Go runtime preempts its threads with SIGURG: not worth a stop.
		argv = append([]string{which, "-O", lldbSetting(dir), "-o", lldbSignals}, dbgArgs...)
		argv = append(argv, "--", self)
	}
	argv = append(argv, args...)
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fail(fmt.Errorf("%s: %v", argv[0], err))
	}
	env := append(os.Environ(), debuginfo.SyncEnv+"=1")
	if err := syscall.Exec(path, argv, env); err != nil {
		return fail(fmt.Errorf("%s: %v", path, err))
	}
	return 127
}

// lldbBinary is lldb, or Debian's versioned lldb-N.
func lldbBinary() string {
	if _, err := exec.LookPath("lldb"); err == nil {
		return "lldb"
	}
	for v := 30; v >= 14; v-- {
		n := fmt.Sprintf("lldb-%d", v)
		if _, err := exec.LookPath(n); err == nil {
			return n
		}
	}
	return "lldb"
}
