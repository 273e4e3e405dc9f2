package unwind

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"testing"
)

// fakeMem is memory made of a few byte ranges.
type fakeMem struct{ segs []fakeSeg }

type fakeSeg struct {
	addr uint64
	b    []byte
}

func (m *fakeMem) ReadAt(b []byte, addr uint64) error {
	for _, s := range m.segs {
		if addr >= s.addr && addr+uint64(len(b)) <= s.addr+uint64(len(s.b)) && addr+uint64(len(b)) >= addr {
			copy(b, s.b[addr-s.addr:])
			return nil
		}
	}
	return errors.New("unmapped")
}

func (m *fakeMem) add(addr uint64, b []byte) { m.segs = append(m.segs, fakeSeg{addr, b}) }

func put64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }

// TestLibcEHFrame reads libc's .eh_frame and unwinds one step from a function's entry:
// there the CFA is rsp+8 and the return address is at the CFA-8.
func TestLibcEHFrame(t *testing.T) {
	f, err := elf.Open("/lib/x86_64-linux-gnu/libc.so.6")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sec := f.Section(".eh_frame")
	data, err := sec.Data()
	if err != nil {
		t.Fatal(err)
	}
	var tab Table
	if err := tab.AddEHFrame(data, sec.Addr, 0); err != nil {
		t.Fatal(err)
	}
	if tab.Len() < 1000 {
		t.Fatalf("%d FDEs in libc's .eh_frame", tab.Len())
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 {
			continue
		}
		switch s.Name {
		case "abort", "qsort", "pthread_join", "getenv", "fopen":
		default:
			continue
		}
		fde := tab.Find(s.Value)
		if fde == nil {
			t.Errorf("no FDE for %s at %#x", s.Name, s.Value)
			continue
		}
		row, err := fde.RowAt(fde.Start)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		var regs Regs
		regs.Set(RSP, 0x10000)
		regs.Set(RIP, fde.Start)
		regs.Set(RBX, 77)
		mem := &fakeMem{}
		stack := make([]byte, 64)
		put64(stack, 0, 0x4242)
		mem.add(0x10000, stack)
		out, err := row.Apply(&regs, mem)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if out.PC() != 0x4242 || out.SP() != 0x10008 || !out.Has(RBX) || out.R[RBX] != 77 || out.Has(RAX) {
			t.Errorf("%s: caller rip %#x rsp %#x rbx %v/%d rax known %v", s.Name, out.PC(), out.SP(), out.Has(RBX), out.R[RBX], out.Has(RAX))
		}
		checked++
	}
	if checked < 4 {
		t.Errorf("checked %d functions", checked)
	}
	if tab.Find(0) != nil {
		t.Errorf("an FDE covers address 0")
	}
}

// ehBuilder writes a little .eh_frame: one CIE and FDEs with pc-relative sdata4 pointers.
type ehBuilder struct {
	b    []byte
	addr uint64 // where the section is loaded
}

func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
		} else {
			return append(out, c)
		}
	}
}

func sleb(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}

func (e *ehBuilder) cie(aug string, insns []byte) int {
	off := len(e.b)
	body := []byte{0, 0, 0, 0, 1} // CIE id 0, version 1
	body = append(body, aug...)
	body = append(body, 0)
	body = append(body, uleb(1)...)  // code alignment
	body = append(body, sleb(-8)...) // data alignment
	body = append(body, 16)          // return address register
	body = append(body, uleb(1)...)  // augmentation data length
	body = append(body, 0x1b)        // FDE encoding: pcrel sdata4
	body = append(body, insns...)
	for len(body)%8 != 4 {
		body = append(body, 0) // DW_CFA_nop
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, uint32(len(body)))
	e.b = append(e.b, body...)
	return off
}

func (e *ehBuilder) fde(cie int, start, size uint64, insns []byte) {
	off := len(e.b)
	var body []byte
	body = binary.LittleEndian.AppendUint32(body, uint32(off+4-cie)) // CIE pointer
	field := e.addr + uint64(off+8)
	body = binary.LittleEndian.AppendUint32(body, uint32(int32(int64(start)-int64(field))))
	body = binary.LittleEndian.AppendUint32(body, uint32(size))
	body = append(body, 0) // augmentation data length
	body = append(body, insns...)
	for len(body)%8 != 4 {
		body = append(body, 0)
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, uint32(len(body)))
	e.b = append(e.b, body...)
}

func (e *ehBuilder) end() []byte { return append(e.b, 0, 0, 0, 0) }

// gregs offsets in a ucontext (uc_mcontext.gregs at 40; REG_RBP 10, REG_RSP 15, REG_RIP 16).
const (
	ucRBP = 40 + 10*8
	ucRSP = 40 + 15*8
	ucRIP = 40 + 16*8
)

// TestSignalFrameCFI unwinds through a signal trampoline described like glibc's __restore_rt:
// 'S' augmentation, the CFA and every register computed by expressions from the ucontext at
// the stack pointer.
func TestSignalFrameCFI(t *testing.T) {
	e := &ehBuilder{addr: 0x9000}
	c := e.cie("zRS", []byte{0x0c, 7, 8}) // def_cfa rsp+8
	expr := func(reg byte, off int64) []byte {
		b := append([]byte{0x77}, sleb(off)...) // DW_OP_breg7 (rsp) off
		return append(append([]byte{0x10, reg}, uleb(uint64(len(b)))...), b...)
	}
	var insns []byte
	cfa := append([]byte{0x77}, sleb(ucRSP)...)
	cfa = append(cfa, 0x06) // deref
	insns = append(insns, 0x0f)
	insns = append(insns, uleb(uint64(len(cfa)))...)
	insns = append(insns, cfa...)
	insns = append(insns, expr(6, ucRBP)...)
	insns = append(insns, expr(16, ucRIP)...)
	e.fde(c, 0x5000, 0x10, insns)
	var tab Table
	if err := tab.AddEHFrame(e.end(), e.addr, 0); err != nil {
		t.Fatal(err)
	}
	fde := tab.Find(0x5004)
	if fde == nil || !fde.Signal() {
		t.Fatalf("FDE %v (signal frame wanted)", fde)
	}
	uc := make([]byte, 512)
	put64(uc, ucRBP, 0xb0b0)
	put64(uc, ucRSP, 0x7000)
	put64(uc, ucRIP, 0x6123)
	mem := &fakeMem{}
	mem.add(0x20000, uc)
	var regs Regs
	regs.Set(RSP, 0x20000)
	regs.Set(RIP, 0x5000)
	row, err := fde.RowAt(0x5000)
	if err != nil {
		t.Fatal(err)
	}
	out, err := row.Apply(&regs, mem)
	if err != nil {
		t.Fatal(err)
	}
	if out.PC() != 0x6123 || out.SP() != 0x7000 || out.R[RBP] != 0xb0b0 {
		t.Errorf("caller rip %#x rsp %#x rbp %#x", out.PC(), out.SP(), out.R[RBP])
	}
}

// TestRowRules: advance_loc, offsets, remember/restore state.
func TestRowRules(t *testing.T) {
	e := &ehBuilder{addr: 0x1000}
	c := e.cie("zR", []byte{0x0c, 7, 8, 0x90, 1}) // def_cfa rsp+8; rip at cfa-8
	insns := []byte{
		0x41,     // advance 1: after push %rbp
		0x0e, 16, // def_cfa_offset 16
		0x86, 2, // rbp at cfa-16
		0x43,    // advance 3: after mov %rsp,%rbp
		0x0d, 6, // def_cfa_register rbp
		0x0a,       // remember_state
		0x44,       // advance 4: the epilogue
		0x0c, 7, 8, // def_cfa rsp+8
		0xc6, // restore rbp
		0x41, // advance 1
		0x0b, // restore_state
	}
	e.fde(c, 0x400000, 0x20, insns)
	var tab Table
	if err := tab.AddEHFrame(e.end(), e.addr, 0); err != nil {
		t.Fatal(err)
	}
	fde := tab.Find(0x400000)
	mem := &fakeMem{}
	stack := make([]byte, 64)
	put64(stack, 0, 0x1111) // saved rbp at 0x8000
	put64(stack, 8, 0x2222) // return address
	mem.add(0x8000, stack)
	for _, c := range []struct {
		pc       uint64
		rsp, rbp uint64
		wantRBP  uint64
	}{
		{0x400000, 0x8008, 0x5555, 0x5555}, // entry: rbp untouched
		{0x400001, 0x8000, 0x5555, 0x1111}, // after push
		{0x400004, 0x7ff0, 0x8000, 0x1111}, // frame set up (rsp moved down)
		{0x400008, 0x8008, 0x1111, 0x1111}, // after the epilogue's pop
		{0x400009, 0x7ff0, 0x8000, 0x1111}, // restored state
	} {
		row, err := fde.RowAt(c.pc)
		if err != nil {
			t.Fatal(err)
		}
		var regs Regs
		regs.Set(RIP, c.pc)
		regs.Set(RSP, c.rsp)
		regs.Set(RBP, c.rbp)
		out, err := row.Apply(&regs, mem)
		if err != nil {
			t.Fatalf("pc %#x: %v", c.pc, err)
		}
		if out.PC() != 0x2222 || out.SP() != 0x8010 || out.R[RBP] != c.wantRBP {
			t.Errorf("pc %#x: caller rip %#x rsp %#x rbp %#x, want 0x2222 0x8010 %#x", c.pc, out.PC(), out.SP(), out.R[RBP], c.wantRBP)
		}
	}
}

// TestUnwindFallbacks walks code without CFI: by the frame pointer chain, then by scanning
// the stack, and through a signal trampoline recognised by its code.
func TestUnwindFallbacks(t *testing.T) {
	code := make([]byte, 0x1000) // at 0x400000: calls before each return address
	for _, ra := range []uint64{0x400105, 0x400205, 0x400305} {
		code[ra-0x400000-5] = 0xe8
	}
	copy(code[0x800:], sigreturn) // a trampoline at 0x400800
	mem := &fakeMem{}
	mem.add(0x400000, code)
	stack := make([]byte, 0x400)
	// frame A (rsp 0x8000, rbp 0x8010): [rbp] = 0x8040, [rbp+8] = 0x400105
	put64(stack, 0x10, 0x8040)
	put64(stack, 0x18, 0x400105)
	// frame B (rbp 0x8040): [rbp] = 0 (no more frame pointers), [rbp+8] = 0x400205
	put64(stack, 0x40, 0)
	put64(stack, 0x48, 0x400205)
	// frame C: no frame pointer; a return address further up the stack
	put64(stack, 0x70, 0x12345) // not code
	put64(stack, 0x78, 0x400305)
	mem.add(0x8000, stack)
	isCode := func(pc uint64) bool { return pc >= 0x400000 && pc < 0x401000 }
	u := &Unwinder{Mem: mem, IsCode: isCode}
	var regs Regs
	regs.Set(RIP, 0x400010)
	regs.Set(RSP, 0x8000)
	regs.Set(RBP, 0x8010)
	fs := u.Unwind(regs)
	want := []struct {
		pc  uint64
		how How
	}{{0x400010, Context}, {0x400105, FP}, {0x400205, FP}, {0x400305, Scan}}
	if len(fs) < len(want) {
		t.Fatalf("frames %+v", fs)
	}
	for i, w := range want {
		if fs[i].PC != w.pc || fs[i].How != w.how {
			t.Errorf("frame %d: %#x %v, want %#x %v", i, fs[i].PC, fs[i].How, w.pc, w.how)
		}
	}

	// A signal trampoline: the next frame comes from the ucontext at the stack pointer.
	uc := make([]byte, 512)
	put64(uc, ucRIP, 0x400abc)
	put64(uc, ucRSP, 0x8000)
	put64(uc, ucRBP, 0x8010)
	mem.add(0x30000, uc)
	regs = Regs{}
	regs.Set(RIP, 0x400800)
	regs.Set(RSP, 0x30000)
	fs = u.Unwind(regs)
	if len(fs) < 3 || !fs[0].Trampoline || fs[1].PC != 0x400abc || !fs[1].Exact || fs[1].How != Context || fs[2].PC != 0x400105 {
		t.Errorf("through the trampoline: %+v", fs)
	}
}

// TestExpr evaluates DWARF expressions.
func TestExpr(t *testing.T) {
	var regs Regs
	regs.Set(RSP, 0x1000)
	regs.Set(RAX, 5)
	mem := &fakeMem{}
	word := make([]byte, 8)
	put64(word, 0, 0xabcd)
	mem.add(0x1010, word)
	for _, c := range []struct {
		expr []byte
		push *uint64
		want uint64
	}{
		{[]byte{0x77, 0x10, 0x06}, nil, 0xabcd},                     // breg7 16; deref
		{[]byte{0x35, 0x37, 0x1e}, nil, 35},                         // lit5 lit7 mul
		{[]byte{0x70, 0x02, 0x23, 0x03}, nil, 10},                   // breg0 2; plus_uconst 3
		{[]byte{0x12, 0x22}, ptr(4), 8},                             // dup plus (with 4 pushed)
		{[]byte{0x31, 0x28, 0x02, 0x00, 0x30, 0x96, 0x3f}, nil, 15}, // lit1 bra +2 (skip lit0 nop) lit15
		{[]byte{0x11, 0x7f, 0x11, 0x02, 0x2d}, nil, 1},              // consts -1 consts 2 lt
	} {
		got, err := evalExpr(c.expr, &regs, mem, c.push)
		if err != nil || got != c.want {
			t.Errorf("%x: %#x %v, want %#x", c.expr, got, err, c.want)
		}
	}
	for _, bad := range [][]byte{{0x06}, {0x77}, {0x1b}, {0x2f, 0x00, 0x10}, {0xff}, {0x74, 0x00}} {
		if _, err := evalExpr(bad, &regs, mem, nil); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

func ptr(v uint64) *uint64 { return &v }

// FuzzEHFrame: any .eh_frame bytes parse, and every FDE's rows apply, without panicking.
func FuzzEHFrame(f *testing.F) {
	e := &ehBuilder{addr: 0x1000}
	c := e.cie("zR", []byte{0x0c, 7, 8, 0x90, 1})
	e.fde(c, 0x400000, 0x20, []byte{0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x0a, 0x44, 0x0b})
	f.Add(e.end())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var tab Table
		tab.AddEHFrame(data, 0x1000, 0)
		tab.AddDebugFrame(data, 0)
		mem := &fakeMem{}
		mem.add(0x8000, make([]byte, 256))
		for _, fde := range tab.fdes {
			for _, pc := range []uint64{fde.Start, fde.Start + 1, fde.End - 1} {
				row, err := fde.RowAt(pc)
				if err != nil {
					continue
				}
				var regs Regs
				for r := 0; r < NumRegs; r++ {
					regs.Set(r, 0x8000+uint64(r)*8)
				}
				row.Apply(&regs, mem)
			}
		}
		tab.Find(0x400000)
	})
}
