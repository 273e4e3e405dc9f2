package crash

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMarkup writes the report's backtraces in LLVM symbolizer markup: the modules and
// their mappings, then each thread's frames as bt elements between plain text lines.
// `llvm-symbolizer --filter-markup --debug-file-directory=DIR` (DIR: the debug directory,
// for JIT'd modules, whose debug files are named by build id there) or `jitrun symbolize`
// turn it into functions, files, lines and inlined frames.
func (r *Report) WriteMarkup(w io.Writer) error {
	var b strings.Builder
	b.WriteString("{{{reset}}}\n")
	fmt.Fprintf(&b, "jitrun crash report: pid %d received %s (%s) in thread %d\n", r.PID, r.Signal.Name, r.Signal.Description, r.Signal.TID)
	if r.DebugDir != "" {
		fmt.Fprintf(&b, "%s%s\n", debugDirLine, r.DebugDir)
	}
	for _, m := range r.Modules {
		if m.BuildID == "" {
			continue // markup cannot name a module without a build id
		}
		name := m.Name
		if m.Path != "" {
			name = m.Path // the file, for jitrun symbolize (llvm-symbolizer goes by build id)
		}
		fmt.Fprintf(&b, "{{{module:%d:%s:elf:%s}}}\n", m.ID, markupSafe(name), m.BuildID)
		maps := m.Maps
		if len(maps) == 0 {
			maps = []Mapping{{Start: m.Start, End: m.End, Perm: "r-x"}}
		}
		for _, mp := range maps {
			if mp.End <= mp.Start {
				continue
			}
			fmt.Fprintf(&b, "{{{mmap:%#x:%#x:load:%d:%s:%#x}}}\n", uint64(mp.Start), uint64(mp.End-mp.Start), m.ID,
				markupPerm(mp.Perm), uint64(mp.Start)-uint64(m.Bias))
		}
	}
	order := r.threadOrder()
	for _, t := range order {
		crashed := ""
		if t.TID == r.Signal.TID {
			crashed = " (crashed)"
		}
		fmt.Fprintf(&b, "Thread %d%s%s:\n", t.TID, markupSafe(threadLabel(t, r.PID)), crashed)
		for i, f := range t.Frames {
			kind := "ra"
			if f.Exact || f.Signal {
				kind = "pc"
			}
			fmt.Fprintf(&b, "{{{bt:%d:%#x:%s}}}\n", i, uint64(f.PC), kind)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// threadOrder is the crashed thread, then the others.
func (r *Report) threadOrder() []*Thread {
	var out []*Thread
	for i := range r.Threads {
		if r.Threads[i].TID == r.Signal.TID {
			out = append(out, &r.Threads[i])
		}
	}
	for i := range r.Threads {
		if r.Threads[i].TID != r.Signal.TID {
			out = append(out, &r.Threads[i])
		}
	}
	return out
}

func markupSafe(s string) string {
	s = strings.ReplaceAll(s, "{{{", "{ { {")
	s = strings.ReplaceAll(s, "}}}", "} } }")
	return strings.ReplaceAll(s, ":", "_")
}

func markupPerm(p string) string {
	var out string
	for _, c := range []byte{'r', 'w', 'x'} {
		if strings.IndexByte(p, c) >= 0 {
			out += string(c)
		}
	}
	if out == "" {
		out = "r"
	}
	return out
}

// debugDirLine introduces the debug directory (of the JIT'd modules' files) in markup.
const debugDirLine = "jitrun debug directory: "

// markupLine is one line of a markup file: text, or a reference to a frame.
type markupLine struct {
	text          string
	thread, frame int // frame >= 0: a bt element
}

// parseMarkup reads symbolizer markup into a report: modules from module and mmap
// elements, one thread per run of bt elements, other text kept for Text.
func parseMarkup(data []byte) (*Report, error) {
	r := &Report{Format: Format}
	modIndex := map[int]int{} // markup module id -> index
	cur := -1                 // thread of the current bt run
	lines := strings.Split(string(data), "\n")
	if len(lines) > 1<<22 {
		return nil, fmt.Errorf("markup: too many lines")
	}
	for ln, line := range lines {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, debugDirLine) {
			r.DebugDir = strings.TrimPrefix(line, debugDirLine)
		}
		var text strings.Builder
		rest := line
		sawBT := false
		for {
			i := strings.Index(rest, "{{{")
			if i < 0 {
				text.WriteString(rest)
				break
			}
			j := strings.Index(rest[i:], "}}}")
			if j < 0 {
				text.WriteString(rest)
				break
			}
			text.WriteString(rest[:i])
			elem := rest[i+3 : i+j]
			rest = rest[i+j+3:]
			f := strings.Split(elem, ":")
			switch f[0] {
			case "reset":
			case "module":
				if len(f) < 4 {
					return nil, fmt.Errorf("markup line %d: bad module element %q", ln+1, elem)
				}
				id, err := strconv.Atoi(f[1])
				if err != nil || id < 0 {
					return nil, fmt.Errorf("markup line %d: bad module id %q", ln+1, f[1])
				}
				if _, dup := modIndex[id]; dup {
					return nil, fmt.Errorf("markup line %d: module %d declared twice", ln+1, id)
				}
				bid := ""
				if len(f) >= 5 {
					bid = strings.ToLower(f[4])
				}
				if !isHex(bid) {
					return nil, fmt.Errorf("markup line %d: bad build id %q", ln+1, bid)
				}
				modIndex[id] = len(r.Modules)
				m := Module{ID: len(r.Modules), Name: f[2], Kind: "other", BuildID: bid}
				if strings.HasPrefix(m.Name, "/") {
					m.Path, m.Name = m.Name, shortPath(m.Name)
				}
				r.Modules = append(r.Modules, m)
			case "mmap":
				if len(f) < 7 || f[3] != "load" {
					return nil, fmt.Errorf("markup line %d: bad mmap element %q", ln+1, elem)
				}
				start, e1 := strconv.ParseUint(f[1], 0, 64)
				size, e2 := strconv.ParseUint(f[2], 0, 64)
				id, e3 := strconv.Atoi(f[4])
				vaddr, e4 := strconv.ParseUint(f[6], 0, 64)
				if e1 != nil || e2 != nil || e3 != nil || e4 != nil || start+size < start {
					return nil, fmt.Errorf("markup line %d: bad mmap element %q", ln+1, elem)
				}
				mi, ok := modIndex[id]
				if !ok {
					return nil, fmt.Errorf("markup line %d: mmap of undeclared module %d", ln+1, id)
				}
				m := &r.Modules[mi]
				if len(m.Maps) == 0 {
					m.Start, m.End, m.Bias = Hex(start), Hex(start+size), Hex(start-vaddr)
				}
				if Hex(start) < m.Start {
					m.Start = Hex(start)
				}
				if Hex(start+size) > m.End {
					m.End = Hex(start + size)
				}
				m.Maps = append(m.Maps, Mapping{Start: Hex(start), End: Hex(start + size), Perm: f[5]})
			case "bt":
				if len(f) < 3 {
					return nil, fmt.Errorf("markup line %d: bad bt element %q", ln+1, elem)
				}
				n, e1 := strconv.Atoi(f[1])
				pc, e2 := strconv.ParseUint(f[2], 0, 64)
				if e1 != nil || e2 != nil || n < 0 {
					return nil, fmt.Errorf("markup line %d: bad bt element %q", ln+1, elem)
				}
				kind := "ra"
				if len(f) >= 4 {
					kind = f[3]
				}
				if kind != "ra" && kind != "pc" {
					return nil, fmt.Errorf("markup line %d: bad bt kind %q", ln+1, kind)
				}
				if cur < 0 || n == 0 {
					r.Threads = append(r.Threads, Thread{})
					cur = len(r.Threads) - 1
				}
				t := &r.Threads[cur]
				t.Frames = append(t.Frames, Frame{Index: n, PC: Hex(pc), How: "cfi", Exact: kind == "pc", Module: -1})
				r.markup = append(r.markup, markupLine{thread: cur, frame: len(t.Frames) - 1})
				sawBT = true
			default:
				// Other elements (symbol, pc, data, hexdict, ...) pass through as text.
				text.WriteString("{{{" + elem + "}}}")
			}
		}
		if s := text.String(); strings.TrimSpace(s) != "" || (!sawBT && !strings.Contains(line, "{{{")) {
			if !sawBT {
				cur = -1
			}
			r.markup = append(r.markup, markupLine{text: s, frame: -1})
		}
	}
	for ti := range r.Threads {
		for fi := range r.Threads[ti].Frames {
			f := &r.Threads[ti].Frames[fi]
			f.Module = r.moduleAt(uint64(f.PC))
			if f.Module >= 0 {
				f.Offset = f.PC - r.Modules[f.Module].Start
			}
		}
	}
	if len(r.Modules) == 0 && len(r.Threads) == 0 {
		return nil, ErrNotReport
	}
	return r, nil
}

func isHex(s string) bool {
	if s == "" || len(s)%2 != 0 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// writeFiltered prints a report parsed from markup: its text with each bt element replaced
// by the frame's symbolicated lines, then the modules.
func (r *Report) writeFiltered(w io.Writer) error {
	var b strings.Builder
	n := 0
	for _, l := range r.markup {
		if l.frame < 0 {
			if strings.TrimSpace(l.text) == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(l.text + "\n")
			n = 0
			continue
		}
		f := &r.Threads[l.thread].Frames[l.frame]
		if f.Index == 0 {
			n = 0
		}
		for _, line := range r.frameLines(f) {
			fmt.Fprintf(&b, "  #%-3d %s\n", n, line)
			n++
		}
	}
	if len(r.Modules) > 0 {
		b.WriteString("Modules:\n")
		for _, m := range r.Modules {
			fmt.Fprintf(&b, "  0x%012x-0x%012x %s build-id %s", uint64(m.Start), uint64(m.End), m.Name, m.BuildID)
			if m.DebugFile != "" {
				fmt.Fprintf(&b, " debug %s", m.DebugFile)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
