package crash

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jitrun/jitrun/debuginfo"
)

// SymbolizeCommand is the subcommand that symbolicates a report file again: jitrun symbolize.
const SymbolizeCommand = "symbolize"

const symbolizeUsage = "usage: jitrun symbolize [--debug-dir=DIR] FILE   (a --crash-report JSON file or its .markup)"

// RunSymbolize is jitrun symbolize [--debug-dir=DIR] FILE: it reads a crash report (JSON, or
// symbolizer markup), symbolicates its frames again from the files on disk (the JIT'd
// modules' debug files by build id in the debug directories, the shared libraries and their
// separate debug files) and prints it. Bad input is one line on stderr and status 127.
func RunSymbolize(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		msg = strings.ReplaceAll(msg, "\n", " ")
		fmt.Fprintf(stderr, "jitrun: symbolize: %s\n", msg)
		return 127
	}
	var dirs []string
	file := ""
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "--debug-dir="):
			d := strings.TrimPrefix(a, "--debug-dir=")
			if abs, err := filepath.Abs(d); err == nil {
				d = abs
			}
			dirs = append(dirs, d)
		case a == "-h" || a == "--help":
			fmt.Fprintln(stdout, symbolizeUsage)
			return 0
		case strings.HasPrefix(a, "-") && a != "-":
			return fail("unknown option %s (%s)", a, symbolizeUsage)
		case file != "":
			return fail("more than one file (%s)", symbolizeUsage)
		default:
			file = a
		}
	}
	if file == "" {
		return fail("no file (%s)", symbolizeUsage)
	}
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<30))
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return fail("%v", err)
	}
	r, err := Parse(data)
	if err != nil {
		return fail("%s: %v", file, err)
	}
	if r.DebugDir != "" {
		dirs = append(dirs, r.DebugDir)
	}
	dirs = append(dirs, debuginfo.DefaultDir())
	Symbolize(r, dirs)
	if r.markup != nil {
		err = r.writeFiltered(stdout)
	} else {
		err = r.WriteText(stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	return 0
}

// libDirs are where a library named only by its file name (markup) is looked for.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// Symbolize symbolicates a report's frames again from the files on disk: JIT'd modules'
// debug files named by build id in dirs, the executable and shared libraries at their paths
// (if their build ids still match) and separate debug files under /usr/lib/debug. Frames of
// modules with no file keep the symbols they were reported with.
func Symbolize(r *Report, dirs []string) {
	mods := make([]*modSyms, len(r.Modules))
	for i := range r.Modules {
		m := &r.Modules[i]
		ms := &modSyms{m: m}
		mods[i] = ms
		switch m.Kind {
		case "vdso", "anon":
			continue
		}
		if m.BuildID != "" {
			if p := debugFileByBuildID(dirs, m.BuildID); p != "" {
				if d, err := openSymFile(p); err == nil {
					ms.dbg = d
					m.DebugFile = p
				}
			}
		}
		if m.Kind == "jit" {
			ms.sym, ms.dbg = ms.dbg, nil // the debug file has the symbols too
			continue
		}
		paths := []string{m.Path}
		if m.Path == "" && m.Name != "" && !strings.ContainsAny(m.Name, "/:[") {
			for _, d := range libDirs {
				paths = append(paths, filepath.Join(d, m.Name))
			}
		}
		for _, p := range paths {
			if p == "" {
				continue
			}
			f, err := openSymFile(p)
			if err != nil {
				continue
			}
			if m.BuildID != "" && f.buildID() != m.BuildID {
				continue // another version of the file: its addresses mean nothing here
			}
			ms.sym = f
			if m.Path == "" {
				m.Path = p
			}
			break
		}
		if ms.dbg == nil && m.BuildID != "" {
			if p := debugFileByBuildID([]string{"/usr/lib/debug"}, m.BuildID); p != "" {
				if d, err := openSymFile(p); err == nil {
					ms.dbg = d
					m.DebugFile = p
				}
			}
		}
		if ms.sym != nil && (m.Kind == "exe" || ms.sym.f.Section(".gopclntab") != nil) {
			ms.host = true // jitrun: Go's line table, not its DWARF
		}
	}
	for ti := range r.Threads {
		for fi := range r.Threads[ti].Frames {
			f := &r.Threads[ti].Frames[fi]
			if f.Module < 0 || f.Module >= len(mods) {
				continue
			}
			ms := mods[f.Module]
			if ms.sym == nil && ms.dbg == nil {
				continue
			}
			if s := ms.symbolize(uint64(f.PC), f.Exact || f.Signal); s != nil {
				f.Symbols = s
			}
		}
	}
}
