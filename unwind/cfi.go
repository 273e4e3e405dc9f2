// Package unwind walks the stack of a thread on x86-64 from a register context (a signal's
// ucontext, or a stopped thread's registers): with the call frame information of .eh_frame
// and .debug_frame sections (a CFI interpreter with DWARF expressions, so glibc's signal
// trampoline and other hand-written CFI unwind exactly), through signal frames, and, where a
// function has no CFI, with the frame pointer chain or, as a last resort, by scanning the
// stack for return addresses. Each frame says how it was found.
//
// It reads memory only through the Memory interface: the same code unwinds a live process
// (ptrace, process_vm_readv) or a snapshot.
package unwind

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// DWARF register numbers of x86-64 (the System V psABI), as used by CFI.
const (
	RAX = iota
	RDX
	RCX
	RBX
	RSI
	RDI
	RBP
	RSP
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
	RIP // the return address column
	NumRegs
)

// RegNames are the registers' names by DWARF number.
var RegNames = [NumRegs]string{"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"}

// Table is the call frame information of one or more sections: FDEs sorted by address.
type Table struct {
	fdes   []*FDE
	sorted bool
}

// FDE describes the unwinding of one function (or code range): [Start, End).
type FDE struct {
	Start, End uint64
	cie        *cie
	insns      []byte
	// for DW_CFA_set_loc in the instructions
	encoding byte
	sec      *section
	insnOff  int
}

type cie struct {
	codeAlign  uint64
	dataAlign  int64
	raReg      uint64
	fdeEnc     byte
	lsdaEnc    byte
	signal     bool // 'S': the function is a signal trampoline
	hasAug     bool // 'z'
	insns      []byte
	addrSize   int
	insnOff    int
	sec        *section
	parseError error
}

type section struct {
	data []byte
	addr uint64 // run-time address of data[0] (pc-relative encodings)
	bias uint64 // added to absolute addresses (.debug_frame of a relocated module)
	eh   bool
}

// ErrNoCFI means the table has no FDE for an address.
var ErrNoCFI = errors.New("no call frame information")

// AddEHFrame adds the FDEs of an .eh_frame section whose bytes are data, loaded at addr
// (pc-relative pointers are relative to it); bias is added to absolute pointers.
func (t *Table) AddEHFrame(data []byte, addr, bias uint64) error {
	return t.add(&section{data: data, addr: addr, bias: bias, eh: true})
}

// AddDebugFrame adds the FDEs of a .debug_frame section; bias is added to its addresses.
func (t *Table) AddDebugFrame(data []byte, bias uint64) error {
	return t.add(&section{data: data, bias: bias})
}

// Len returns the number of FDEs.
func (t *Table) Len() int { return len(t.fdes) }

// Find returns the FDE covering pc, or nil.
func (t *Table) Find(pc uint64) *FDE {
	if t == nil {
		return nil
	}
	if !t.sorted {
		sort.SliceStable(t.fdes, func(i, j int) bool { return t.fdes[i].Start < t.fdes[j].Start })
		t.sorted = true
	}
	i := sort.Search(len(t.fdes), func(i int) bool { return t.fdes[i].Start > pc }) - 1
	// Overlapping ranges are rare (a zero-length FDE, a duplicate): look back a few.
	for k := i; k >= 0 && k > i-4; k-- {
		if f := t.fdes[k]; pc >= f.Start && pc < f.End {
			return f
		}
	}
	return nil
}

// add parses every entry of a section; a malformed entry ends the parse with an error, but
// the FDEs read before it are kept.
func (t *Table) add(s *section) error {
	t.sorted = false
	cies := map[int]*cie{}
	d := s.data
	for off := 0; off < len(d); {
		start := off
		if len(d)-off < 4 {
			return fmt.Errorf("entry at %#x: truncated length", start)
		}
		length := uint64(binary.LittleEndian.Uint32(d[off:]))
		off += 4
		is64 := false
		if length == 0xffffffff {
			if len(d)-off < 8 {
				return fmt.Errorf("entry at %#x: truncated length", start)
			}
			length = binary.LittleEndian.Uint64(d[off:])
			off += 8
			is64 = true
		}
		if length == 0 {
			if s.eh {
				return nil // the terminator
			}
			continue
		}
		if length > uint64(len(d)-off) {
			return fmt.Errorf("entry at %#x: length %#x past the section", start, length)
		}
		end := off + int(length)
		idOff := off
		var id uint64
		idSize := 4
		if is64 {
			idSize = 8
		}
		if end-off < idSize {
			return fmt.Errorf("entry at %#x: truncated", start)
		}
		if is64 {
			id = binary.LittleEndian.Uint64(d[off:])
		} else {
			id = uint64(binary.LittleEndian.Uint32(d[off:]))
		}
		off += idSize
		isCIE := (s.eh && id == 0) || (!s.eh && (id == 0xffffffff || id == 0xffffffffffffffff))
		if isCIE {
			c, err := parseCIE(s, d[off:end], off)
			if err != nil {
				return fmt.Errorf("CIE at %#x: %v", start, err)
			}
			cies[start] = c
			off = end
			continue
		}
		var cieOff int
		if s.eh {
			cieOff = idOff - int(id)
		} else {
			cieOff = int(id)
		}
		c, ok := cies[cieOff]
		if !ok {
			if cieOff < 0 || cieOff >= len(d) {
				return fmt.Errorf("FDE at %#x: CIE pointer %#x out of range", start, cieOff)
			}
			// A CIE after its FDE (allowed in .debug_frame): parse it now.
			var err error
			c, err = parseCIEAt(s, cieOff)
			if err != nil {
				return fmt.Errorf("FDE at %#x: %v", start, err)
			}
			cies[cieOff] = c
		}
		f, err := parseFDE(s, c, d, off, end)
		if err != nil {
			return fmt.Errorf("FDE at %#x: %v", start, err)
		}
		if f != nil && f.End > f.Start {
			t.fdes = append(t.fdes, f)
		}
		off = end
	}
	return nil
}

func parseCIEAt(s *section, at int) (*cie, error) {
	d := s.data
	if len(d)-at < 4 {
		return nil, errors.New("truncated CIE")
	}
	length := uint64(binary.LittleEndian.Uint32(d[at:]))
	off := at + 4
	idSize := 4
	if length == 0xffffffff {
		if len(d)-off < 8 {
			return nil, errors.New("truncated CIE")
		}
		length = binary.LittleEndian.Uint64(d[off:])
		off += 8
		idSize = 8
	}
	if length > uint64(len(d)-off) || length < uint64(idSize) {
		return nil, errors.New("bad CIE length")
	}
	end := off + int(length)
	return parseCIE(s, d[off+idSize:end], off+idSize)
}

func parseCIE(s *section, b []byte, base int) (*cie, error) {
	r := reader{b: b}
	c := &cie{sec: s, addrSize: 8}
	version := r.u8()
	if version != 1 && version != 3 && version != 4 {
		return nil, fmt.Errorf("unsupported CIE version %d", version)
	}
	aug := r.cstring()
	if version == 4 {
		c.addrSize = int(r.u8())
		r.u8() // segment selector size
		if c.addrSize != 8 && c.addrSize != 4 {
			return nil, fmt.Errorf("address size %d", c.addrSize)
		}
	}
	if len(aug) >= 2 && aug[0] == 'e' && aug[1] == 'h' {
		r.skip(8) // GCC 2.x "eh" data
		aug = aug[2:]
	}
	c.codeAlign = r.uleb()
	c.dataAlign = r.sleb()
	if version == 1 {
		c.raReg = uint64(r.u8())
	} else {
		c.raReg = r.uleb()
	}
	c.fdeEnc = 0 // absptr
	if c.addrSize == 4 {
		c.fdeEnc = 0x03
	}
	c.lsdaEnc = 0xff
	if len(aug) > 0 && aug[0] == 'z' {
		c.hasAug = true
		n := r.uleb()
		augEnd := r.off + int(n)
		if n > uint64(len(b)) || augEnd > len(b) {
			return nil, errors.New("augmentation data past the CIE")
		}
		for _, ch := range aug[1:] {
			switch ch {
			case 'L':
				c.lsdaEnc = r.u8()
			case 'R':
				c.fdeEnc = r.u8()
			case 'P':
				enc := r.u8()
				if _, err := readEncoded(&r, enc, s, base, c.addrSize); err != nil {
					return nil, err
				}
			case 'S':
				c.signal = true
			case 'B', 'G':
			default:
				// An augmentation we do not know: its data can be skipped ('z'), the rest
				// of the string not interpreted.
				r.off = augEnd
			}
			if r.err != nil {
				break
			}
		}
		r.off = augEnd
	} else {
		for _, ch := range aug {
			if ch == 'S' {
				c.signal = true
			}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	c.insns = b[r.off:]
	c.insnOff = base + r.off
	return c, nil
}

func parseFDE(s *section, c *cie, d []byte, off, end int) (*FDE, error) {
	r := reader{b: d[:end], off: off}
	start, err := readEncoded(&r, c.fdeEnc, s, 0, c.addrSize)
	if err != nil {
		return nil, err
	}
	size, err := readEncoded(&r, c.fdeEnc&0x0f, s, 0, c.addrSize)
	if err != nil {
		return nil, err
	}
	if c.hasAug {
		n := r.uleb()
		if n > uint64(end-r.off) {
			return nil, errors.New("augmentation data past the FDE")
		}
		r.off += int(n)
	}
	if r.err != nil {
		return nil, r.err
	}
	if start == 0 && s.eh {
		return nil, nil // discarded function (a zero pc_begin)
	}
	return &FDE{Start: start, End: start + size, cie: c, insns: d[r.off:end], encoding: c.fdeEnc, sec: s, insnOff: r.off}, nil
}

// Signal reports whether the FDE's function is a signal trampoline (augmentation 'S'): the
// frame it unwinds to was interrupted, its pc is exact (not a return address).
func (f *FDE) Signal() bool { return f.cie.signal }

// readEncoded reads a pointer with a DW_EH_PE encoding.
func readEncoded(r *reader, enc byte, s *section, _ int, addrSize int) (uint64, error) {
	if enc == 0xff {
		return 0, nil
	}
	fieldAddr := s.addr + uint64(r.off)
	var v uint64
	switch enc & 0x0f {
	case 0x00:
		if addrSize == 4 {
			v = uint64(r.u32())
		} else {
			v = r.u64()
		}
	case 0x01:
		v = r.uleb()
	case 0x02:
		v = uint64(r.u16())
	case 0x03:
		v = uint64(r.u32())
	case 0x04:
		v = r.u64()
	case 0x09:
		v = uint64(r.sleb())
	case 0x0a:
		v = uint64(int64(int16(r.u16())))
	case 0x0b:
		v = uint64(int64(int32(r.u32())))
	case 0x0c:
		v = r.u64()
	default:
		return 0, fmt.Errorf("pointer encoding %#x", enc)
	}
	if r.err != nil {
		return 0, r.err
	}
	switch enc & 0x70 {
	case 0x00:
		if v != 0 {
			v += s.bias
		}
	case 0x10: // pcrel
		v += fieldAddr
	case 0x30, 0x20, 0x40, 0x50: // datarel, textrel, funcrel, aligned: not used on x86-64 Linux
		return 0, fmt.Errorf("pointer encoding %#x", enc)
	}
	// 0x80 (indirect) only appears for personality routines, which are skipped.
	return v, nil
}

// reader decodes little-endian data and LEB128; an overrun sets err and yields zeros.
type reader struct {
	b   []byte
	off int
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || r.off+n > len(r.b) || r.off+n < r.off {
		r.err = errTruncated
		return false
	}
	return true
}

func (r *reader) u8() byte {
	if !r.need(1) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16() uint16 {
	if !r.need(2) {
		return 0
	}
	v := binary.LittleEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64() uint64 {
	if !r.need(8) {
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *reader) skip(n int) {
	if r.need(n) {
		r.off += n
	}
}

func (r *reader) cstring() string {
	for i := r.off; i < len(r.b); i++ {
		if r.b[i] == 0 {
			s := string(r.b[r.off:i])
			r.off = i + 1
			return s
		}
	}
	r.err = errTruncated
	return ""
}

func (r *reader) uleb() uint64 {
	var v uint64
	var shift uint
	for {
		b := r.u8()
		if r.err != nil {
			return 0
		}
		if shift < 64 {
			v |= uint64(b&0x7f) << shift
		}
		shift += 7
		if b&0x80 == 0 {
			return v
		}
	}
}

func (r *reader) sleb() int64 {
	var v int64
	var shift uint
	var b byte
	for {
		b = r.u8()
		if r.err != nil {
			return 0
		}
		if shift < 64 {
			v |= int64(b&0x7f) << shift
		}
		shift += 7
		if b&0x80 == 0 {
			break
		}
	}
	if shift < 64 && b&0x40 != 0 {
		v |= -1 << shift
	}
	return v
}

func (r *reader) block() []byte {
	n := r.uleb()
	if r.err != nil || n > uint64(len(r.b)-r.off) {
		r.err = errTruncated
		return nil
	}
	b := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return b
}
