package unwind

import (
	"bytes"
	"encoding/binary"
)

// How says how a frame was found.
type How uint8

const (
	// Context: from a register context (the signal's, a stopped thread's, or the one a
	// signal frame saved).
	Context How = iota
	// CFI: by the call frame information of the callee.
	CFI
	// FP: by the callee's frame pointer chain.
	FP
	// Scan: a return address found by scanning the stack (may be stale).
	Scan
)

func (h How) String() string {
	switch h {
	case Context:
		return "context"
	case CFI:
		return "cfi"
	case FP:
		return "fp"
	case Scan:
		return "scan"
	}
	return "?"
}

// Frame is one frame of a backtrace.
type Frame struct {
	PC, SP uint64
	How    How
	// Exact: PC is where the thread was interrupted or stopped (the first frame, and a
	// frame a signal interrupted), not a return address; look it up as is, not at PC-1.
	Exact bool
	// Trampoline: the frame is a signal trampoline (the kernel called a handler from the
	// next frame).
	Trampoline bool
}

// Unwinder walks stacks. Tables and IsCode describe the process's code.
type Unwinder struct {
	Mem Memory
	// Tables returns the call frame information covering pc (nil if none).
	Tables func(pc uint64) *Table
	// IsCode reports whether pc is in executable memory.
	IsCode func(pc uint64) bool
	// Stop, if set, ends the walk after a frame (say, where stacks switch).
	Stop func(pc uint64) bool
	// Max bounds the number of frames (default 256).
	Max int

	rows map[rowKey]*Row
}

type rowKey struct {
	fde *FDE
	pc  uint64
}

// Unwind returns the frames of the stack whose innermost context is regs.
func (u *Unwinder) Unwind(regs Regs) []Frame {
	max := u.Max
	if max <= 0 {
		max = 256
	}
	if u.rows == nil {
		u.rows = map[rowKey]*Row{}
	}
	cur := regs
	frames := []Frame{{PC: regs.PC(), SP: regs.SP(), How: Context, Exact: true}}
	for len(frames) < max {
		f := &frames[len(frames)-1]
		if u.Stop != nil && u.Stop(f.PC) {
			break
		}
		next, how, exact, trampoline, ok := u.step(&cur, f.Exact)
		if !ok {
			break
		}
		f.Trampoline = trampoline
		pc, sp := next.PC(), next.SP()
		if pc == 0 || !next.Has(RIP) {
			break
		}
		// A normal return pops: the caller's stack pointer is above the callee's. A signal
		// frame may switch stacks (an alternate signal stack), in either direction.
		if !trampoline && sp <= f.SP && how != Context {
			break
		}
		if !u.isCode(pc) {
			break
		}
		frames = append(frames, Frame{PC: pc, SP: sp, How: how, Exact: exact})
		cur = next
	}
	return frames
}

func (u *Unwinder) isCode(pc uint64) bool { return u.IsCode == nil || u.IsCode(pc) }

// sigreturn is `mov $15, %rax; syscall`: the x86-64 signal trampolines (glibc's
// __restore_rt, Go's sigreturn) start with it.
var sigreturn = []byte{0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05}

// step computes the caller of the frame whose registers are cur.
func (u *Unwinder) step(cur *Regs, exact bool) (next Regs, how How, nextExact, trampoline, ok bool) {
	pc := cur.PC()
	// A signal trampoline: the interrupted context is saved in the ucontext at the stack
	// pointer (the kernel's rt_sigframe, its return address already popped).
	var code [9]byte
	if u.Mem.ReadAt(code[:], pc) == nil && bytes.Equal(code[:], sigreturn) {
		if r, err := SignalContext(u.Mem, cur.SP()); err == nil {
			return r, Context, true, true, true
		}
	}
	lookup := pc
	if !exact {
		lookup = pc - 1
	}
	if u.Tables != nil {
		if t := u.Tables(lookup); t != nil {
			if fde := t.Find(lookup); fde != nil {
				k := rowKey{fde, lookup}
				row := u.rows[k]
				if row == nil {
					var err error
					row, err = fde.RowAt(lookup)
					if err == nil && len(u.rows) < 1<<16 {
						u.rows[k] = row
					}
				}
				if row != nil {
					r, err := row.Apply(cur, u.Mem)
					if err == ErrOutermost {
						return Regs{}, 0, false, false, false
					}
					if err == nil {
						return r, CFI, fde.Signal(), fde.Signal(), true
					}
				}
			}
		}
	}
	// The frame pointer chain: the caller's rbp at [rbp], the return address above it.
	if cur.Has(RBP) {
		bp := cur.R[RBP]
		if bp >= cur.SP() && bp-cur.SP() < 1<<24 && bp%8 == 0 {
			var b [16]byte
			if u.Mem.ReadAt(b[:], bp) == nil {
				ra := binary.LittleEndian.Uint64(b[8:])
				if u.isCode(ra) && u.looksLikeReturn(ra) {
					var r Regs
					r.Set(RBP, binary.LittleEndian.Uint64(b[:]))
					r.Set(RSP, bp+16)
					r.Set(RIP, ra)
					copyCalleeSaved(&r, cur)
					return r, FP, false, false, true
				}
			}
		}
	}
	// Scan the stack for a word that is a return address (code right after a call).
	sp := cur.SP()
	var buf [8 * 512]byte
	if err := u.Mem.ReadAt(buf[:], sp); err != nil {
		// The end of the stack may be closer than the buffer: read page by page.
		n := 0
		for n < len(buf) && u.Mem.ReadAt(buf[n:n+8], sp+uint64(n)) == nil {
			n += 8
		}
		for i := n; i < len(buf); i++ {
			buf[i] = 0
		}
	}
	for i := 0; i+8 <= len(buf); i += 8 {
		w := binary.LittleEndian.Uint64(buf[i:])
		if w == 0 || !u.isCode(w) || !u.looksLikeReturn(w) {
			continue
		}
		var r Regs
		r.Set(RIP, w)
		r.Set(RSP, sp+uint64(i)+8)
		copyCalleeSaved(&r, cur)
		return r, Scan, false, false, true
	}
	return Regs{}, 0, false, false, false
}

func copyCalleeSaved(dst, src *Regs) {
	for reg := 0; reg < NumRegs; reg++ {
		if calleeSaved&(1<<reg) != 0 && src.Has(reg) && !dst.Has(reg) {
			dst.Set(reg, src.R[reg])
		}
	}
}

// looksLikeReturn reports whether the instruction before addr is a call.
func (u *Unwinder) looksLikeReturn(addr uint64) bool {
	var b [7]byte
	if addr < 7 || u.Mem.ReadAt(b[:], addr-7) != nil {
		return false
	}
	if b[2] == 0xe8 { // call rel32
		return true
	}
	// call *r/m64: ff /2, 2 to 7 bytes long (register, [reg], disp8, disp32, SIB, rip).
	for k := 2; k <= 7; k++ {
		i := 7 - k
		if b[i] == 0xff && (b[i+1]>>3)&7 == 2 {
			return true
		}
		if i > 0 && b[i-1]&0xf0 == 0x40 && b[i] == 0xff && (b[i+1]>>3)&7 == 2 { // REX prefix
			return true
		}
	}
	return false
}

// SignalContext reads the registers a signal frame saved: the ucontext at addr (the stack
// pointer of a signal trampoline, or the address a handler was given).
func SignalContext(m Memory, ucontext uint64) (Regs, error) {
	var g [23 * 8]byte
	if err := m.ReadAt(g[:], ucontext+40); err != nil {
		return Regs{}, err
	}
	return FromGregs(g[:]), nil
}

// FromGregs converts a ucontext's gregs array (REG_R8 ... REG_CR2) to registers.
func FromGregs(g []byte) Regs {
	w := func(i int) uint64 { return binary.LittleEndian.Uint64(g[8*i:]) }
	var r Regs
	order := [...]int{R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP, RIP}
	for i, reg := range order {
		r.Set(reg, w(i))
	}
	return r
}
