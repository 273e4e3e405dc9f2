package orcrt

import (
	"fmt"
	"io"
	"sort"
	"unsafe"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/platform/linux"
)

func unsafeBytes(addr, size uint64) []byte {
	if size == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(linux.Ptr(addr)), size)
}

// Lookup returns the address of a global symbol the dylib defines (after Link).
func (d *Dylib) Lookup(name string) (uint64, error) {
	if !d.linked {
		return 0, fmt.Errorf("dylib %s: not linked", d.Name)
	}
	s := d.defs[name]
	if s == nil || s.Res == nil {
		return 0, fmt.Errorf("dylib %s: symbol `%s' not found", d.Name, name)
	}
	return s.Res.Addr, nil
}

// Call calls the JIT'd function at addr with up to six integer or pointer arguments and
// returns its integer result.
func Call(addr uint64, args ...uint64) uint64 { return linux.Call(addr, args...) }

// RunMain runs the dylib's initializers and main(argc, argv, envp) on the process's main
// thread and exits the process with main's status through libc's exit, so stdio is flushed
// and atexit handlers and finalizers run as natively. It does not return; a missing main is
// reported as an error.
func (s *Session) RunMain(d *Dylib, argv []string) error {
	if err := d.Link(); err != nil {
		return err
	}
	mainAddr, err := d.Lookup("main")
	if err != nil {
		return fmt.Errorf("undefined reference to `main'")
	}
	// The JIT'd dylibs' exit handler first, so that it runs after the program's own.
	linux.RegisterExitFinalizers()
	if err := linux.RegisterFinalizers(d.finis); err != nil {
		return err
	}
	s.started = true
	d.lazyStart()
	linux.RunMain(linux.Program{Main: mainAddr, Inits: d.inits, Argv: argv})
	return nil
}

// WriteMap prints where every loaded section and global symbol of the dylib went.
func (d *Dylib) WriteMap(w io.Writer) error {
	if !d.linked {
		return fmt.Errorf("dylib %s: not linked", d.Name)
	}
	l := d.link
	fmt.Fprintf(w, "# dylib %s\n# segments\n", d.Name)
	permName := [...]string{"---", "r-x", "r--", "r-- (relro)", "rw-", "rw- (zero)"}
	for _, s := range l.Segments {
		fmt.Fprintf(w, "%#012x %#10x %s\n", s.Addr, s.Size, permName[s.Perm])
	}
	fmt.Fprintf(w, "# sections\n")
	type row struct {
		addr, size uint64
		text       string
	}
	var rows []row
	for _, g := range d.graphs {
		for _, sec := range g.Sections {
			if sec == nil || sec.Discard || sec.Kind.Perm() == jitlink.PermNone {
				continue
			}
			if d.lazy != nil && sec.Addr == 0 {
				continue // a lazy object's, not linked (yet)
			}
			rows = append(rows, row{sec.Addr, sec.Size, fmt.Sprintf("%s %s", sec.Name, g.Name)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].addr < rows[j].addr })
	for _, r := range rows {
		fmt.Fprintf(w, "%#012x %#10x %s\n", r.addr, r.size, r.text)
	}
	fmt.Fprintf(w, "# tables\n%#012x %#10x .got (%d entries)\n%#012x %#10x stubs (%d)\n",
		l.GOTBase, len(l.GOT)*8, len(l.GOT), l.StubBase, uint64(len(l.Stubs))*l.Arch.StubSize(), len(l.Stubs))
	fmt.Fprintf(w, "# symbols\n")
	rows = rows[:0]
	for name, s := range d.defs {
		if s.Res == nil {
			continue
		}
		where := ""
		if s.Graph != nil {
			where = s.Graph.Name
		}
		rows = append(rows, row{s.Res.Addr, s.Size, fmt.Sprintf("%s %s", name, where)})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		return rows[i].addr < rows[j].addr || rows[i].addr == rows[j].addr && rows[i].text < rows[j].text
	})
	for _, r := range rows {
		fmt.Fprintf(w, "%#012x %#10x %s\n", r.addr, r.size, r.text)
	}
	var ext []string
	for k, t := range d.exts {
		if t != nil {
			ext = append(ext, fmt.Sprintf("%#012x %s %s", t.Target, k, t.Lib()))
		}
	}
	sort.Strings(ext)
	fmt.Fprintf(w, "# external symbols\n")
	for _, e := range ext {
		fmt.Fprintln(w, e)
	}
	if d.lazy != nil {
		fmt.Fprint(w, d.lazy.describe())
	}
	return nil
}

// Segments returns the dylib's memory, one segment per permission group (after Link).
func (d *Dylib) Segments() []jitlink.Segment {
	if d.link == nil {
		return nil
	}
	return d.link.Segments
}
