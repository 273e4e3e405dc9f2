package orcrt

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/jitrun/jitrun/jitlink"
)

// LinkStats describes one link: phase times and the size of what was linked.
type LinkStats struct {
	Phases                      []Phase
	Objects, Sections, Edges    int
	Symbols, GOTEntries, Stubs  int
	Copies, ExternalSymbols     int
	CodeBytes, DataBytes, Total uint64
	// Parsed counts the objects read: Objects plus archive members read ahead that no
	// wave of the resolution pulled (prefetch.go).
	Parsed int
	// ImageBytes and WrittenBytes are the loaded image in whole pages and the part of it
	// relocation writes (CountWritten; 0 until it runs).
	ImageBytes, WrittenBytes uint64
}

// Phase is one timed step of a link: its wall time, and the CPU time the whole process
// used meanwhile (user and system, all threads: CPU/Time is how many cores it kept busy).
type Phase struct {
	Name string
	Time time.Duration
	CPU  time.Duration
}

// processCPU is the CPU time the process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (st *LinkStats) start() func(string) {
	last, lastCPU := time.Now(), processCPU()
	st.Phases = st.Phases[:0]
	return func(name string) {
		now, cpu := time.Now(), processCPU()
		st.Phases = append(st.Phases, Phase{name, now.Sub(last), cpu - lastCPU})
		last, lastCPU = now, cpu
	}
}

// count fills in the sizes. It runs before the program starts: an eager link's section and
// edge totals come from the counts Scan made (walking clang's 265,000 sections again took
// 10 ms, even on both cores).
func (st *LinkStats) count(d *Dylib) {
	st.Objects = len(d.graphs)
	for _, g := range d.graphs {
		st.Symbols += len(g.Symbols)
	}
	if d.lazy == nil {
		st.Sections, st.Edges = d.link.LiveCounts() // counted already, for Scan's order
	} else {
		// The link has the objects' start-up parts; the statistics count them whole.
		st.Sections, st.Edges = jitlink.LiveTotals(d.graphs)
	}
	l := d.link
	st.GOTEntries, st.Stubs, st.Copies = len(l.GOT), len(l.Stubs), len(l.Copies)
	for _, t := range d.exts {
		if t != nil {
			st.ExternalSymbols++
		}
	}
	for _, s := range l.Segments {
		st.Total += s.Size
		if s.Perm == jitlink.PermRX {
			st.CodeBytes += s.Size
		} else {
			st.DataBytes += s.Size
		}
	}
}

// CountWritten fills in how much of the image relocation writes (jitlink's WrittenPages):
// the part of it any relocating loader keeps resident. It walks every edge again, so only
// the statistics ask for it, after the link.
func (d *Dylib) CountWritten() {
	if d.link == nil {
		return
	}
	ps := uint64(os.Getpagesize())
	w, n := d.link.WrittenPages(ps)
	d.Stats.WrittenBytes, d.Stats.ImageBytes = w*ps, n*ps
}

// Write prints the statistics.
func (st *LinkStats) Write(w io.Writer) {
	var total, cpu time.Duration
	line := func(name string, t, c time.Duration) {
		cores := 0.0
		if t > 0 {
			cores = float64(c) / float64(t)
		}
		fmt.Fprintf(w, "jitrun: %-16s %8.2f ms  (CPU %8.2f ms, %.2f cores)\n", name, float64(t.Microseconds())/1000, float64(c.Microseconds())/1000, cores)
	}
	for _, p := range st.Phases {
		line(p.Name, p.Time, p.CPU)
		total += p.Time
		cpu += p.CPU
	}
	line("link total", total, cpu)
	fmt.Fprintf(w, "jitrun: %d objects (%d parsed), %d sections, %d relocations, %d symbols, %d external, %d GOT entries, %d stubs, %d copies; %d KiB code, %d KiB data\n",
		st.Objects, st.Parsed, st.Sections, st.Edges, st.Symbols, st.ExternalSymbols, st.GOTEntries, st.Stubs, st.Copies, st.CodeBytes>>10, st.DataBytes>>10)
	if st.ImageBytes > 0 {
		fmt.Fprintf(w, "jitrun: image %d KiB in pages, %d KiB of them written by relocation\n", st.ImageBytes>>10, st.WrittenBytes>>10)
	}
}
