package orcrt

import (
	"fmt"
	"io"
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
}

// Phase is one timed step of a link.
type Phase struct {
	Name string
	Time time.Duration
}

func (st *LinkStats) start() func(string) {
	last := time.Now()
	st.Phases = st.Phases[:0]
	return func(name string) {
		now := time.Now()
		st.Phases = append(st.Phases, Phase{name, now.Sub(last)})
		last = now
	}
}

func (st *LinkStats) count(d *Dylib) {
	st.Objects = len(d.graphs)
	for _, g := range d.graphs {
		for _, s := range g.Sections {
			if s != nil && !s.Discard && s.Kind != jitlink.KindNonAlloc {
				st.Sections++
				st.Edges += len(s.Edges)
			}
		}
		st.Symbols += len(g.Symbols)
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

// Write prints the statistics.
func (st *LinkStats) Write(w io.Writer) {
	var total time.Duration
	for _, p := range st.Phases {
		fmt.Fprintf(w, "jitrun: %-16s %8.2f ms\n", p.Name, float64(p.Time.Microseconds())/1000)
		total += p.Time
	}
	fmt.Fprintf(w, "jitrun: %-16s %8.2f ms\n", "link total", float64(total.Microseconds())/1000)
	fmt.Fprintf(w, "jitrun: %d objects, %d sections, %d relocations, %d symbols, %d external, %d GOT entries, %d stubs, %d copies; %d KiB code, %d KiB data\n",
		st.Objects, st.Sections, st.Edges, st.Symbols, st.ExternalSymbols, st.GOTEntries, st.Stubs, st.Copies, st.CodeBytes>>10, st.DataBytes>>10)
}
