// Command jitrun JIT-links a program from objects, archives, shared libraries and C/C++
// sources into its own process and runs its main, with a static linker's command line and
// a native program's semantics.
//
//	jitrun [options] INPUTS... [-- PROGRAM-ARGS...]
//
// The Go runtime must hold no file descriptors the JIT'd program would see: with
// containermaxprocs=0 it reads the cgroup CPU limit once and closes those files.
//
//go:debug containermaxprocs=0
//go:debug updatemaxprocs=0
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/jitrun/jitrun/crash"
	"github.com/jitrun/jitrun/debuginfo"
	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/orcrt"
)

const usage = `usage: jitrun [options] INPUTS... [-- PROGRAM-ARGS...]
       jitrun gdb|lldb [DEBUGGER-OPTIONS... --args] [options] INPUTS... [-- PROGRAM-ARGS...]
       jitrun symbolize [--debug-dir=DIR] REPORT

Links INPUTS in memory like 'gcc INPUTS -o prog' would, then runs main like './prog ARGS'.
The exit status is the program's; jitrun's own failures exit with 127.

Inputs (in link order):
  FILE.o            relocatable ELF object
  FILE.a            static archive (members linked when they define a needed symbol;
                    archives are searched repeatedly, so their order does not matter)
  FILE.so[.N]       shared library (loaded with the dynamic loader)
  SCRIPT            GNU ld implicit linker script (GROUP, INPUT, AS_NEEDED)
  FILE.c, .cc, .cpp, .cxx
                    source compiled with $CC/$CXX (default flags -g -O2) into a cache
  -lNAME, -l NAME   libNAME.so or libNAME.a from the search path
  -LDIR, -L DIR     add DIR to the library search path

Options:
  --argv0=NAME      argv[0] of the program (default: base name of the first input)
  --noexec          link only, do not run
  --map             print where every section and symbol went (to stdout)
  --nostdlib        do not add the default libraries (libc, libgcc, libgcc_s)
  --dylib=NAME=FILE[,FILE...]
                    a JIT'd dylib linked when the program dlopens NAME (or a path ending
                    in /NAME), or at start with -lNAME
  --stats           print link phase times and sizes to stderr (with --lazy, also what
                    laziness linked, at exit)
  --lazy            link an object's code only when one of its functions is first
                    called (objects with initializers or TLS, and data other objects
                    use, are linked at start)
  --speculate=on|off
                    with --lazy: link what linked code refers to in the background
                    while the program runs (default off)
  --crash-report=FILE
                    when the program crashes (the report goes to stderr), also write the
                    report as JSON to FILE and as symbolizer markup to FILE.markup
                    ('jitrun symbolize FILE' prints it again, symbolicated offline)
  --debug=on|off    debugger support (default on): JIT'd code registered with gdb/lldb,
                    full debug info in a file per link under the debug directory
  --debug-dir=DIR   the debug directory (default $XDG_CACHE_HOME/jitrun/debug or
                    ~/.cache/jitrun/debug)
  --debug-help      print the gdb and lldb settings that find the debug files
  --perf-map        write /tmp/perf-PID.map for perf report
  --jitdump         write a jitdump (~/.debug/jit/jitrun-*/jit-PID.dump) for perf inject --jit
  -h, --help        this help
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == crash.ReporterCommand {
		os.Exit(crash.RunReporter(os.Args[2:])) // started by the crash handler
	}
	if !wantsHeapProfile(os.Args[1:]) {
		// Heap profiling is on by default in Go: every 512 KiB allocated, a stack walk and
		// a hash into a 1.4 MB table of fresh pages. Nobody reads that profile unless
		// --memprofile asks for it; CPython's end-to-end run was 0.4 ms faster without it
		// (60 interleaved rounds, twice).
		runtime.MemProfileRate = 0
	}
	os.Exit(run(os.Args[1:]))
}

// wantsHeapProfile reports whether jitrun's own arguments (those before "--") ask for a
// heap profile.
func wantsHeapProfile(args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "--memprofile=") {
			return true
		}
	}
	return false
}

func fail(err error) int {
	var me jitlink.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			fmt.Fprintf(os.Stderr, "jitrun: %v\n", e)
		}
	} else {
		fmt.Fprintf(os.Stderr, "jitrun: %v\n", err)
	}
	return 127
}

func run(args []string) int {
	if len(args) > 0 && (args[0] == "gdb" || args[0] == "lldb") {
		return runDebugger(args[0], args[1:])
	}
	if len(args) > 0 && args[0] == crash.SymbolizeCommand {
		return crash.RunSymbolize(args[1:], os.Stdout, os.Stderr)
	}
	opts, args, help, oerr := debugOptions(args)
	if oerr != nil {
		return fail(oerr)
	}
	if help {
		fmt.Print(debugHelp(debugDir(opts)))
		return 0
	}
	args, lerr := lazyOptions(&opts, args)
	if lerr != nil {
		return fail(lerr)
	}
	// Loading allocates a burst of short-lived data (archive and library symbol tables, the
	// link graph) and the heap starts small: collecting during it only costs time (CPython
	// went through two collections before its link even started). Normal collection
	// resumes once the link's background work (debug registration) is done: collecting the
	// link's garbage right away would compete with the program's start for the cores (a GC
	// cycle of ~8 ms for CPython).
	gc := debug.SetGCPercent(-1)
	s := orcrt.NewSession(opts)
	d := s.MainDylib()
	var (
		argv0           string
		noexec, showMap bool
		nostdlib, stats bool
		crashReport     string
		progArgs        []string
		inputs          int
		steps           []func() error
		stopProfile     = func() {}
		prefetchFiles   []string
		prefetchLibs    []string
		memProfile      string
	)
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			progArgs = args[i+1:]
			i = len(args)
		case a == "-h" || a == "--help":
			fmt.Print(usage)
			return 0
		case a == "--noexec":
			noexec = true
		case a == "--map":
			showMap = true
		case a == "--nostdlib":
			nostdlib = true
		case a == "--stats":
			stats = true
		case strings.HasPrefix(a, "--cpuprofile="):
			// Hidden (not in --help): a pprof CPU profile of jitrun's own work, up to the
			// program's start (or the end of --noexec).
			if stop, err := startCPUProfile(strings.TrimPrefix(a, "--cpuprofile=")); err != nil {
				return fail(err)
			} else {
				defer stop()
				stopProfile = stop
			}
		case strings.HasPrefix(a, "--memprofile="):
			// Hidden: a pprof heap profile (what the link allocated) written after the link.
			memProfile = strings.TrimPrefix(a, "--memprofile=")
		case strings.HasPrefix(a, "--dylib="):
			name, files, ok := strings.Cut(strings.TrimPrefix(a, "--dylib="), "=")
			if !ok || name == "" || files == "" {
				return fail(fmt.Errorf("--dylib wants NAME=FILE[,FILE...], got %q", a))
			}
			s.DeclareDylib(name, strings.Split(files, ",")...)
		case strings.HasPrefix(a, "--crash-report="):
			crashReport = strings.TrimPrefix(a, "--crash-report=")
			if crashReport == "" {
				return fail(fmt.Errorf("--crash-report wants a file name"))
			}
		case strings.HasPrefix(a, "--argv0="):
			argv0 = strings.TrimPrefix(a, "--argv0=")
		case a == "-L" || a == "-l":
			if i+1 >= len(args) {
				return fail(fmt.Errorf("option %s needs an argument", a))
			}
			i++
			if a == "-L" {
				s.AddLibDir(args[i])
			} else {
				name := args[i]
				inputs++
				steps = append(steps, func() error { return d.AddLibrary(name) })
				prefetchLibs = append(prefetchLibs, name)
			}
		case strings.HasPrefix(a, "-L"):
			s.AddLibDir(a[2:])
		case strings.HasPrefix(a, "-l"):
			name := a[2:]
			inputs++
			steps = append(steps, func() error { return d.AddLibrary(name) })
			prefetchLibs = append(prefetchLibs, name)
		case strings.HasPrefix(a, "-") && a != "-":
			return fail(fmt.Errorf("unknown option %s (see jitrun --help)", a))
		default:
			path := a
			inputs++
			steps = append(steps, func() error { return d.AddFile(path) })
			prefetchFiles = append(prefetchFiles, path)
		}
	}
	if inputs == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 127
	}
	// -L applies to every -l on the line, wherever it appears (as with ld).
	if !nostdlib {
		files, libs := d.DefaultInputs()
		prefetchFiles, prefetchLibs = append(prefetchFiles, files...), append(prefetchLibs, libs...)
	}
	s.Prefetch(prefetchFiles, prefetchLibs)
	for _, step := range steps {
		if err := step(); err != nil {
			return fail(err)
		}
	}
	if !nostdlib {
		if err := d.AddDefaultLibraries(); err != nil {
			return fail(err)
		}
	}
	err := d.Link()
	if !opts.Lazy {
		// With --lazy the runtime sets its own collection policy when main starts (a
		// memory limit: link batches on first calls keep allocating); restoring the
		// default here, once batch 0's registration is done, would undo it mid-run.
		debuginfo.AfterBackground(func() { debug.SetGCPercent(gc) })
	}
	if err != nil {
		return fail(err)
	}
	if memProfile != "" {
		if err := writeHeapProfile(memProfile); err != nil {
			return fail(err)
		}
	}
	if stats {
		d.CountWritten()
		d.Stats.Write(os.Stderr)
		if opts.Lazy {
			d.LazyStats().Write(os.Stderr)
		}
	}
	if showMap {
		if err := d.WriteMap(os.Stdout); err != nil {
			return fail(err)
		}
	}
	if noexec {
		return 0
	}
	if argv0 == "" {
		argv0 = d.FirstInput()
	}
	stopProfile() // the program's own time is not jitrun's (RunMain does not return)
	if err := crash.Enable(crash.EnableOptions{ReportFile: crashReport, DebugDir: debugDir(opts), Program: argv0}); err != nil {
		return fail(err)
	}
	if err := s.RunMain(d, append([]string{argv0}, progArgs...)); err != nil {
		return fail(err)
	}
	return 127
}

// startCPUProfile writes a CPU profile to path until the returned function is called (once;
// later calls do nothing). The file is written with system calls and closed before the
// program runs, so the program sees none of jitrun's descriptors.
// writeHeapProfile writes the allocations so far (pprof's alloc_space is what the link
// allocated: the collector is off during it).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile covers allocations up to the last collection
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	done := false
	return func() {
		if !done {
			done = true
			pprof.StopCPUProfile()
			f.Close()
		}
	}, nil
}

// lazyOptions takes --lazy and --speculate out of the arguments (before "--").
func lazyOptions(o *orcrt.Options, args []string) ([]string, error) {
	var rest []string
	stats := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
			continue
		case a == "--lazy":
			o.Lazy = true
			continue
		case a == "--speculate" || a == "--speculate=on":
			o.Speculate = true
			continue
		case a == "--speculate=off":
			o.Speculate = false
			continue
		case strings.HasPrefix(a, "--speculate="):
			return nil, fmt.Errorf("option --speculate takes on or off, not %q", a[len("--speculate="):])
		case a == "--stats":
			stats = true
		}
		rest = append(rest, a)
	}
	o.LazyStats = o.Lazy && stats
	return rest, nil
}
