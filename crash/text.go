package crash

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// WriteText prints the report for people.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.text(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

const rule = "=================================================================="

func (r *Report) text(b *strings.Builder) {
	s := &r.Signal
	fmt.Fprintf(b, "%s\njitrun: crash report\n", rule)
	prog := r.Program
	if prog == "" {
		prog = "the program"
	} else {
		prog = fmt.Sprintf("%q", prog)
	}
	fmt.Fprintf(b, "%s (pid %d) received %s (%s)", prog, r.PID, s.Name, s.Description)
	if t := r.thread(s.TID); t != nil {
		fmt.Fprintf(b, " in thread %d%s", t.TID, threadLabel(t, r.PID))
	} else if s.TID != 0 {
		fmt.Fprintf(b, " in thread %d", s.TID)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  si_code %d %s", s.Code, s.CodeName)
	if s.CodeDesc != "" {
		fmt.Fprintf(b, ": %s", s.CodeDesc)
	}
	if s.Sender != 0 {
		fmt.Fprintf(b, " (by pid %d)", s.Sender)
	}
	b.WriteString("\n")
	if s.Addr != nil {
		fmt.Fprintf(b, "  fault address %#x", uint64(*s.Addr))
		if s.Access != "" {
			fmt.Fprintf(b, " (%s)", s.Access)
		}
		b.WriteString("\n")
	}
	if s.Mapping != "" {
		fmt.Fprintf(b, "    %s\n", s.Mapping)
	}
	if s.StackOverflow {
		b.WriteString("  STACK OVERFLOW: the thread ran past the end of its stack (see the repeated frames below)\n")
	}
	if t := r.thread(s.TID); t != nil && len(t.Frames) > 0 {
		f := &t.Frames[0]
		fmt.Fprintf(b, "  pc %#x %s\n", uint64(f.PC), r.frameWhere(f))
	}

	if len(r.Registers) > 0 {
		b.WriteString("\nRegisters:\n")
		for i, reg := range r.Registers {
			if i%3 == 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(b, " %6s 0x%016x", reg.Name, uint64(reg.Value))
			if i%3 == 2 || i == len(r.Registers)-1 {
				b.WriteString("\n")
			}
		}
	}
	if c := r.Code; c != nil && c.Bytes != "" {
		raw, err := hex.DecodeString(c.Bytes)
		if err == nil && len(raw) > 0 {
			fmt.Fprintf(b, "\nCode at %#x (the byte at pc in <>):\n ", uint64(c.Addr))
			for i, v := range raw {
				if uint64(c.Addr)+uint64(i) == uint64(c.PC) {
					fmt.Fprintf(b, " <%02x>", v)
				} else {
					fmt.Fprintf(b, " %02x", v)
				}
			}
			b.WriteString("\n")
		}
	}

	var runtime []*Thread
	for i := range r.Threads {
		t := &r.Threads[i]
		if t.TID == s.TID {
			fmt.Fprintf(b, "\nBacktrace of thread %d%s (crashed):\n", t.TID, threadLabel(t, r.PID))
			r.frames(b, t)
		}
	}
	others := false
	for i := range r.Threads {
		t := &r.Threads[i]
		if t.TID == s.TID {
			continue
		}
		if t.Runtime {
			runtime = append(runtime, t)
			continue
		}
		if !others {
			b.WriteString("\nOther threads:\n")
			others = true
		}
		state := ""
		if t.State != "" {
			state = ", " + t.State
		}
		fmt.Fprintf(b, "Thread %d%s%s:\n", t.TID, threadLabel(t, r.PID), state)
		r.frames(b, t)
	}
	if len(runtime) > 0 {
		b.WriteString("\nThreads of jitrun's Go runtime:\n")
		for _, t := range runtime {
			fmt.Fprintf(b, "  %d%s:", t.TID, threadLabel(t, r.PID))
			for i, f := range t.Frames {
				if i == 8 {
					b.WriteString(" <- ...")
					break
				}
				name := "??"
				if len(f.Symbols) > 0 && f.Symbols[len(f.Symbols)-1].Function != "" {
					name = f.Symbols[len(f.Symbols)-1].Function
				}
				if i > 0 {
					b.WriteString(" <-")
				}
				b.WriteString(" " + name)
			}
			if t.Error != "" {
				fmt.Fprintf(b, " (%s)", t.Error)
			}
			b.WriteString("\n")
		}
	}

	if len(r.Modules) > 0 {
		b.WriteString("\nModules:\n")
		for _, m := range r.Modules {
			fmt.Fprintf(b, "  0x%012x-0x%012x %-5s %s", uint64(m.Start), uint64(m.End), m.Kind, m.Name)
			if m.Path != "" && m.Path != m.Name {
				fmt.Fprintf(b, " %s", m.Path)
			}
			if m.BuildID != "" {
				fmt.Fprintf(b, " build-id %s", m.BuildID)
			}
			if m.DebugFile != "" && m.DebugFile != m.Path {
				fmt.Fprintf(b, " debug %s", m.DebugFile)
			}
			b.WriteString("\n")
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "  %s\n", n)
		}
	}
	fmt.Fprintf(b, "%s\n", rule)
}

func (r *Report) thread(tid int) *Thread {
	for i := range r.Threads {
		if r.Threads[i].TID == tid {
			return &r.Threads[i]
		}
	}
	return nil
}

func threadLabel(t *Thread, pid int) string {
	s := ""
	if t.Name != "" {
		s = fmt.Sprintf(" %q", t.Name)
	}
	if t.TID == pid {
		s += " (main thread)"
	}
	return s
}

// frames prints a thread's backtrace, one line per function (inlined ones first). Frame
// numbers count inlined functions, as gdb's do; a frame repeated (recursion) is printed once
// with the count, and frames left out of the report are counted.
func (r *Report) frames(b *strings.Builder, t *Thread) {
	if t.Error != "" {
		fmt.Fprintf(b, "  (%s)\n", t.Error)
	}
	n := 0
	fs := t.Frames
	for i := 0; i < len(fs); {
		f := &fs[i]
		if i > 0 && f.Index > fs[i-1].Index+1 {
			gap := f.Index - fs[i-1].Index - 1
			fmt.Fprintf(b, "        ... %d frames omitted ...\n", gap)
			n += gap
		}
		lines := r.frameLines(f)
		for _, line := range lines {
			fmt.Fprintf(b, "  #%-3d %s\n", n, line)
			n++
		}
		// A run of the same frame (omitted frames inside it included).
		j := i + 1
		for j < len(fs) && fs[j].PC == f.PC && fs[j].How == f.How && fs[j].Signal == f.Signal {
			j++
		}
		if j-i > 2 {
			more := fs[j-1].Index - f.Index
			fmt.Fprintf(b, "        ... the frame above %d more times (recursion): #%d-#%d ...\n", more, n, n+more*len(lines)-1)
			n += more * len(lines)
			i = j
			continue
		}
		i++
	}
}

// frameLines formats a frame: one line per inlined function, then the frame's own.
func (r *Report) frameLines(f *Frame) []string {
	var out []string
	syms := f.Symbols
	if len(syms) == 0 {
		syms = []Symbol{{}}
	}
	for i, s := range syms {
		last := i == len(syms)-1
		var b strings.Builder
		fmt.Fprintf(&b, "0x%016x in ", uint64(f.PC))
		name := s.Function
		if name == "" {
			name = "??"
		}
		b.WriteString(name)
		if last && s.Offset != nil {
			fmt.Fprintf(&b, "+%#x", uint64(*s.Offset))
		}
		if last {
			if m := r.module(f.Module); m != nil {
				fmt.Fprintf(&b, " (%s+%#x)", m.Name, uint64(f.Offset))
			}
		}
		if s.File != "" {
			fmt.Fprintf(&b, " %s", s.File)
			if s.Line > 0 {
				fmt.Fprintf(&b, ":%d", s.Line)
				if s.Column > 0 {
					fmt.Fprintf(&b, ":%d", s.Column)
				}
			}
		}
		if !last {
			b.WriteString(" (inlined)")
		} else {
			fmt.Fprintf(&b, " [%s]", f.How)
			if f.Signal {
				b.WriteString(" <signal handler called>")
			}
		}
		out = append(out, b.String())
	}
	return out
}

// frameWhere is a frame's function, module and location in one phrase.
func (r *Report) frameWhere(f *Frame) string {
	ls := r.frameLines(f)
	s := ls[len(ls)-1]
	if i := strings.Index(s, " in "); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndex(s, " ["); i >= 0 {
		s = s[:i]
	}
	if len(ls) > 1 {
		first := ls[0]
		if i := strings.Index(first, " in "); i >= 0 {
			first = first[i+4:]
		}
		s += ", inlined: " + strings.TrimSuffix(first, " (inlined)")
	}
	return s
}

func (r *Report) module(i int) *Module {
	if i < 0 || i >= len(r.Modules) {
		return nil
	}
	return &r.Modules[i]
}
