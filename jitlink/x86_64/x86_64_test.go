package x86_64

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/jitrun/jitrun/jitlink"
)

// Fixed layout used by the Apply tests.
const (
	secAddr = 0x10000 // section load address
	edgeOff = 0x10    // edge offset in the section: P = 0x10010
	gotBase = 0x40000 // GOT base
	gotIdx  = 3       // G = 24
	fill    = 0xAA    // sentinel filling the section memory
)

// fixture is a minimal link with one section and one target symbol (index 1 of the graph).
type fixture struct {
	l   *jitlink.Link
	g   *jitlink.Graph
	sec *jitlink.Section
	mem []byte
	t   *jitlink.Symbol
}

func newFixture(t *jitlink.Symbol) *fixture {
	g := &jitlink.Graph{Name: "test.o"}
	sec := &jitlink.Section{Name: ".text.fixture", Graph: g, Kind: jitlink.KindCode, Align: 16, Size: 64, Addr: secAddr}
	mem := bytes.Repeat([]byte{fill}, 64)
	sec.Data = append([]byte(nil), mem...)
	if t.Name == "" {
		t.Name = "foo"
	}
	t.Graph = g
	t.Res = t
	g.Symbols = []*jitlink.Symbol{nil, t}
	g.Sections = []*jitlink.Section{nil, sec}
	g.FirstGlobal = 1
	l := jitlink.NewLink("fixture", Arch{}, []*jitlink.Graph{g})
	l.GOTBase = gotBase
	return &fixture{l: l, g: g, sec: sec, mem: mem, t: t}
}

func (f *fixture) edge(kind uint16, off uint64, addend int64) *jitlink.Edge {
	return &jitlink.Edge{Offset: off, Addend: addend, Target: 1, Kind: kind, Type: 2}
}

// readN reads an n-byte little-endian value, sign-extending nothing.
func readN(b []byte, n int) uint64 {
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func mask(n int) uint64 {
	if n == 8 {
		return ^uint64(0)
	}
	return 1<<(8*uint(n)) - 1
}

func TestApplyFormulas(t *testing.T) {
	const P = secAddr + edgeOff
	const G = gotIdx * 8
	type tc struct {
		name   string
		kind   uint16
		S      uint64 // t.Addr (L for stub-capable kinds)
		Z      uint64 // t.Size
		A      int64
		want   uint64 // expected value, truncated to the kind's width
		nbytes int    // bytes written
	}
	s64 := func(v int64) uint64 { return uint64(v) }
	cases := []tc{
		{"Pointer64", Pointer64, 0x20000, 0, 0x30, 0x20030, 8},
		{"Pointer64/high", Pointer64, 0x7fff_1234_5678_9a00, 0, 0xbc, 0x7fff_1234_5678_9abc, 8},
		{"Pointer64/negaddend", Pointer64, 0x20000, 0, -0x10, 0x1fff0, 8},
		{"Pointer32", Pointer32, 0x20000, 0, 0x30, 0x20030, 4},
		{"Pointer32/max", Pointer32, 0xffff_fff0, 0, 0xf, 0xffff_ffff, 4},
		{"Pointer32S", Pointer32S, 0x20000, 0, 0x30, 0x20030, 4},
		{"Pointer32S/negative", Pointer32S, 0, 0, -8, s64(-8), 4},
		{"Pointer32S/max", Pointer32S, 0x7fff_ff00, 0, 0xff, 0x7fff_ffff, 4},
		{"Pointer32S/min", Pointer32S, 0, 0, -0x8000_0000, s64(-0x8000_0000), 4},
		{"Pointer16", Pointer16, 0x1234, 0, 1, 0x1235, 2},
		{"Pointer16/max", Pointer16, 0xffff, 0, 0, 0xffff, 2},
		{"Pointer16/negative", Pointer16, 0, 0, -2, s64(-2), 2},
		{"Pointer8", Pointer8, 0x12, 0, 1, 0x13, 1},
		{"Pointer8/max", Pointer8, 0xff, 0, 0, 0xff, 1},
		{"Pointer8/negative", Pointer8, 0, 0, -128, s64(-128), 1},
		{"Delta64", Delta64, 0x20000, 0, 0x30, 0x20030 - P, 8},
		{"Delta64/negative", Delta64, 0x1000, 0, -4, s64(0x1000 - 4 - P), 8},
		{"Delta64/far", Delta64, 0x7f00_0000_0000, 0, -4, 0x7f00_0000_0000 - 4 - P, 8},
		{"Delta32", Delta32, 0x20000, 0, -4, 0x20000 - 4 - P, 4},
		{"Delta32/backward", Delta32, 0x1000, 0, -4, s64(0x1000 - 4 - P), 4},
		{"Delta32/max", Delta32, P + 0x7fff_ffff, 0, 0, 0x7fff_ffff, 4},
		{"Delta32/min", Delta32, P, 0, -0x8000_0000, s64(-0x8000_0000), 4},
		{"Delta16", Delta16, P + 0x100, 0, -2, 0xfe, 2},
		{"Delta16/negative", Delta16, P - 0x100, 0, 0, s64(-0x100), 2},
		{"Delta16/min", Delta16, P - 0x8000, 0, 0, s64(-0x8000), 2},
		{"Delta8", Delta8, P + 0x10, 0, -4, 0xc, 1},
		{"Delta8/negative", Delta8, P - 0x20, 0, 0, s64(-0x20), 1},
		{"Delta8/max", Delta8, P + 127, 0, 0, 127, 1},
		{"Delta8/min", Delta8, P - 128, 0, 0, s64(-128), 1},
		{"Branch32", Branch32, 0x30000, 0, -4, 0x30000 - 4 - P, 4},
		{"Branch32/backward", Branch32, secAddr, 0, -4, s64(secAddr - 4 - P), 4},
		{"GOTDelta32", GOTDelta32, 0x20000, 0, -4, gotBase + G - 4 - P, 4},
		{"GOTDelta32Relax", GOTDelta32Relax, 0x20000, 0, -4, gotBase + G - 4 - P, 4},
		{"GOTDelta32RelaxREX", GOTDelta32RelaxREX, 0x20000, 0, -4, gotBase + G - 4 - P, 4},
		{"GOTDelta64", GOTDelta64, 0x20000, 0, 0x18, gotBase + G + 0x18 - P, 8},
		{"GOTBaseDelta32", GOTBaseDelta32, 0x20000, 0, 3, gotBase + 3 - P, 4},
		{"GOTBaseDelta64", GOTBaseDelta64, 0x20000, 0, 0x1c, gotBase + 0x1c - P, 8},
		{"GOTOffset64", GOTOffset64, 0x20000, 0, 0x30, s64(0x20030 - gotBase), 8},
		{"GOTOffset64/above", GOTOffset64, 0x50000, 0, 8, 0x50008 - gotBase, 8},
		{"GOTEntryOffset64", GOTEntryOffset64, 0x20000, 0, 0, G, 8},
		{"GOTEntryOffset64/addend", GOTEntryOffset64, 0x20000, 0, 4, G + 4, 8},
		{"GOTEntryOffset32", GOTEntryOffset32, 0x20000, 0, 4, G + 4, 4},
		{"PLTOffset64", PLTOffset64, 0x60000, 0, 0, 0x60000 - gotBase, 8},
		{"PLTOffset64/below", PLTOffset64, 0x20000, 0, 0x10, s64(0x20010 - gotBase), 8},
		{"Size32", Size32, 0x20000, 0x123, 0, 0x123, 4},
		{"Size32/addend", Size32, 0x20000, 0x123, 5, 0x128, 4},
		{"Size64", Size64, 0x20000, 0x1_0000_0000, 7, 0x1_0000_0007, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Width(c.kind); got != c.nbytes {
				t.Fatalf("Width(%s) = %d, want %d", KindName(c.kind), got, c.nbytes)
			}
			f := newFixture(&jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: c.S, Size: c.Z, GOTIndex: gotIdx})
			e := f.edge(c.kind, edgeOff, c.A)
			if err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			got := readN(f.mem[edgeOff:], c.nbytes)
			if want := c.want & mask(c.nbytes); got != want {
				t.Errorf("wrote %#x, want %#x", got, want)
			}
			for i, b := range f.mem {
				if (i < edgeOff || i >= edgeOff+c.nbytes) && b != fill {
					t.Errorf("byte %d outside the fixup changed to %#x", i, b)
				}
			}
		})
	}
}

func TestApplyNoneWritesNothing(t *testing.T) {
	for _, k := range []uint16{None} {
		f := newFixture(&jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1234})
		if err := (Arch{}).Apply(f.l, f.sec, f.mem, f.edge(k, edgeOff, 5), f.t); err != nil {
			t.Fatalf("%s: %v", KindName(k), err)
		}
		if !bytes.Equal(f.mem, f.sec.Data) {
			t.Errorf("%s changed memory: % x", KindName(k), f.mem)
		}
	}
}

// Every kind below TLS has a name and a width, and is accepted by Apply.
func TestEveryNonTLSKindApplies(t *testing.T) {
	for k := uint16(0); k < numKinds; k++ {
		if IsTLS(k) {
			continue
		}
		if n := KindName(k); n == "" || n == "unknown" {
			t.Errorf("kind %d has no name", k)
		}
		// Small addresses so that every width can hold the result.
		f := newFixture(&jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: 0x60, Size: 8, GOTIndex: 0})
		f.sec.Addr = 0x40
		if err := (Arch{}).Apply(f.l, f.sec, f.mem, f.edge(k, edgeOff, 0), f.t); err != nil {
			t.Errorf("Apply(%s): %v", KindName(k), err)
		}
	}
	if KindName(numKinds) != "unknown" {
		t.Errorf("KindName(numKinds) = %q", KindName(numKinds))
	}
}

func TestApplyUnknownKind(t *testing.T) {
	f := newFixture(&jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000})
	err := (Arch{}).Apply(f.l, f.sec, f.mem, f.edge(numKinds+3, edgeOff, 0), f.t)
	if err == nil || !strings.Contains(err.Error(), "unsupported fixup kind") {
		t.Fatalf("err = %v, want unsupported fixup kind", err)
	}
}

func TestApplyOverflow(t *testing.T) {
	const P = secAddr + edgeOff
	cases := []struct {
		name string
		kind uint16
		S    uint64
		A    int64
	}{
		{"Pointer32/4GiB", Pointer32, 1 << 32, 0},
		{"Pointer32/addend", Pointer32, 0xffff_ffff, 1},
		{"Pointer32/negative", Pointer32, 0, -1},
		{"Pointer32S/2GiB", Pointer32S, 0x8000_0000, 0},
		{"Pointer32S/high", Pointer32S, 0x7fff_1234_0000, 0},
		{"Pointer32S/below-min", Pointer32S, 0, -0x8000_0001},
		{"Pointer16", Pointer16, 0x1_0000, 0},
		{"Pointer16/neg", Pointer16, 0, -0x8001},
		{"Pointer8", Pointer8, 0x100, 0},
		{"Pointer8/neg", Pointer8, 0, -129},
		{"Delta32/forward", Delta32, P + 0x8000_0000, 0},
		{"Delta32/backward", Delta32, 0x7f00_0000_0000, -4},
		{"Delta32/min-1", Delta32, P, -0x8000_0001},
		{"Branch32/far", Branch32, 0x7f12_3456_7000, -4},
		{"Delta16/forward", Delta16, P + 0x8000, 0},
		{"Delta16/backward", Delta16, P - 0x8001, 0},
		{"Delta8/forward", Delta8, P + 128, 0},
		{"Delta8/backward", Delta8, P - 129, 0},
		{"GOTDelta32/far GOT", GOTDelta32, 0, 0},
		{"GOTBaseDelta32/far GOT", GOTBaseDelta32, 0, 0},
		{"Size32", Size32, 0, 1 << 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(&jitlink.Symbol{Name: "far_sym", Def: jitlink.External, Type: jitlink.Object, Addr: c.S, Size: 0, GOTIndex: 1})
			if c.kind == GOTDelta32 || c.kind == GOTBaseDelta32 {
				f.l.GOTBase = 0x7f00_0000_0000
			}
			f.l.RelocName = func(uint16) string { return "R_X86_64_PC32" }
			e := f.edge(c.kind, edgeOff, c.A)
			err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t)
			if err == nil {
				t.Fatalf("no error; wrote % x", f.mem[edgeOff:edgeOff+8])
			}
			msg := err.Error()
			for _, want := range []string{"test.o", ".text.fixture", "offset 0x10", "R_X86_64_PC32", "`far_sym'", "overflow"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
			var le *jitlink.LinkError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *jitlink.LinkError", err)
			}
			if le.Section != ".text.fixture" || le.Offset != edgeOff || le.Symbol != "far_sym" || le.Graph != "test.o" {
				t.Errorf("LinkError fields = %+v", *le)
			}
			if !bytes.Equal(f.mem, f.sec.Data) {
				t.Errorf("memory changed despite the overflow: % x", f.mem)
			}
		})
	}
}

// Without RelocName the message names the edge kind.
func TestOverflowMessageUsesKindName(t *testing.T) {
	f := newFixture(&jitlink.Symbol{Name: "big", Def: jitlink.Defined, Addr: 1 << 33})
	err := (Arch{}).Apply(f.l, f.sec, f.mem, f.edge(Pointer32, 0x24, 0), f.t)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"Pointer32", "offset 0x24", "`big'", "0x200000000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// relaxFixture builds a section holding code with a GOTPCRELX edge at off.
func relaxFixture(code []byte, target *jitlink.Symbol) *fixture {
	f := newFixture(target)
	f.sec.Data = append([]byte(nil), code...)
	f.sec.Size = uint64(len(code))
	f.mem = append([]byte(nil), code...)
	return f
}

func TestRelaxLoadToLea(t *testing.T) {
	code := []byte{0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3} // mov foo@GOTPCREL(%rip),%rax; ret
	S := uint64(secAddr + 0x1000)
	f := relaxFixture(code, &jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Object, Addr: S, GOTIndex: -1})
	e := f.edge(GOTDelta32Relax, 3, -4)
	n, err := (Arch{}).Scan(f.l, f.sec, e, f.t)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != GOTDelta32Relax {
		t.Fatalf("Scan changed the edge's kind to %s (edges are read-only views)", KindName(e.Kind))
	}
	if k := Relaxed(f.sec, e, f.t); k != RelaxedLoadToLea {
		t.Fatalf("Relaxed = %s, want RelaxedLoadToLea", KindName(k))
	}
	if n&jitlink.NeedGOT != 0 {
		t.Error("relaxed load still asks for a GOT entry")
	}
	if !bytes.Equal(f.sec.Data, code) {
		t.Error("Scan modified the section's input data")
	}
	if err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t); err != nil {
		t.Fatal(err)
	}
	// lea foo(%rip),%rax: displacement is target minus the next instruction (secAddr+7).
	disp := uint32(int32(int64(S) - int64(secAddr+7)))
	want := []byte{0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3}
	binary.LittleEndian.PutUint32(want[3:], disp)
	if !bytes.Equal(f.mem, want) {
		t.Errorf("got % x, want % x", f.mem, want)
	}
}

func TestRelaxLoadToLeaREX(t *testing.T) {
	code := []byte{0x4c, 0x8b, 0x1d, 0, 0, 0, 0} // mov foo@GOTPCREL(%rip),%r11
	f := relaxFixture(code, &jitlink.Symbol{Def: jitlink.Common, Type: jitlink.Object, Addr: secAddr - 0x100})
	e := f.edge(GOTDelta32RelaxREX, 3, -4)
	if _, err := (Arch{}).Scan(f.l, f.sec, e, f.t); err != nil {
		t.Fatal(err)
	}
	if k := Relaxed(f.sec, e, f.t); k != RelaxedLoadToLea || e.Kind != GOTDelta32RelaxREX {
		t.Fatalf("Relaxed = %s, edge kind %s", KindName(k), KindName(e.Kind))
	}
	if err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t); err != nil {
		t.Fatal(err)
	}
	want := []byte{0x4c, 0x8d, 0x1d, 0, 0, 0, 0}
	d := int32(-0x100 - 7)
	binary.LittleEndian.PutUint32(want[3:], uint32(d))
	if !bytes.Equal(f.mem, want) {
		t.Errorf("got % x, want % x", f.mem, want)
	}
}

func TestRelaxCall(t *testing.T) {
	code := []byte{0x90, 0xff, 0x15, 0, 0, 0, 0, 0xc3} // nop; call *foo@GOTPCREL(%rip); ret
	S := uint64(secAddr + 0x2345)
	f := relaxFixture(code, &jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: S})
	e := f.edge(GOTDelta32Relax, 3, -4)
	if _, err := (Arch{}).Scan(f.l, f.sec, e, f.t); err != nil {
		t.Fatal(err)
	}
	if k := Relaxed(f.sec, e, f.t); k != RelaxedCall || e.Kind != GOTDelta32Relax {
		t.Fatalf("Relaxed = %s, edge kind %s; want RelaxedCall, GOTDelta32Relax", KindName(k), KindName(e.Kind))
	}
	if err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t); err != nil {
		t.Fatal(err)
	}
	// addr32 call rel32 occupies bytes 1..6; the next instruction is at secAddr+7.
	want := []byte{0x90, 0x67, 0xe8, 0, 0, 0, 0, 0xc3}
	binary.LittleEndian.PutUint32(want[3:], uint32(S-(secAddr+7)))
	if !bytes.Equal(f.mem, want) {
		t.Errorf("got % x, want % x", f.mem, want)
	}
}

func TestRelaxJump(t *testing.T) {
	code := []byte{0xff, 0x25, 0, 0, 0, 0, 0xcc} // jmp *foo@GOTPCREL(%rip); int3
	S := uint64(secAddr + 0x40)
	f := relaxFixture(code, &jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: S})
	e := f.edge(GOTDelta32Relax, 2, -4)
	if _, err := (Arch{}).Scan(f.l, f.sec, e, f.t); err != nil {
		t.Fatal(err)
	}
	if k := Relaxed(f.sec, e, f.t); k != RelaxedJump || e.Kind != GOTDelta32Relax {
		t.Fatalf("Relaxed = %s, edge kind %s; want RelaxedJump, GOTDelta32Relax", KindName(k), KindName(e.Kind))
	}
	if err := (Arch{}).Apply(f.l, f.sec, f.mem, e, f.t); err != nil {
		t.Fatal(err)
	}
	// jmp rel32 is bytes 0..4, so the next instruction is at secAddr+5: 0x40-5 = 0x3b.
	want := []byte{0xe9, 0x3b, 0, 0, 0, 0x90, 0xcc}
	if !bytes.Equal(f.mem, want) {
		t.Errorf("got % x, want % x", f.mem, want)
	}
	// Backwards: target at the section start jumps -5.
	f2 := relaxFixture(code, &jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: secAddr})
	e2 := f2.edge(GOTDelta32Relax, 2, -4)
	if _, err := (Arch{}).Scan(f2.l, f2.sec, e2, f2.t); err != nil {
		t.Fatal(err)
	}
	if err := (Arch{}).Apply(f2.l, f2.sec, f2.mem, e2, f2.t); err != nil {
		t.Fatal(err)
	}
	want2 := []byte{0xe9, 0xfb, 0xff, 0xff, 0xff, 0x90, 0xcc}
	if !bytes.Equal(f2.mem, want2) {
		t.Errorf("got % x, want % x", f2.mem, want2)
	}
}

// Cases where a GOTPCRELX edge must keep its GOT entry.
func TestNoRelaxation(t *testing.T) {
	mov := []byte{0x48, 0x8b, 0x05, 0, 0, 0, 0}
	call := []byte{0xff, 0x15, 0, 0, 0, 0}
	cases := []struct {
		name   string
		code   []byte
		off    uint64
		kind   uint16
		addend int64
		sym    jitlink.Symbol
	}{
		{"external", mov, 3, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: 0x1000, Target: 0x1000}},
		{"absolute", mov, 3, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.Absolute, Addr: 0}},
		{"ifunc", mov, 3, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.IFunc, Addr: 0x1000}},
		{"addend", mov, 3, GOTDelta32Relax, 0, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Object, Addr: 0x1000}},
		{"unknown opcode", []byte{0x48, 0x03, 0x05, 0, 0, 0, 0}, 3, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}},
		{"REX call", call, 2, GOTDelta32RelaxREX, -4, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: 0x1000}},
		{"plain GOTPCREL", mov, 3, GOTDelta32, -4, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Object, Addr: 0x1000}},
		{"offset too small", mov[2:], 1, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}},
		{"past the end", mov[:6], 3, GOTDelta32Relax, -4, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sym := c.sym
			f := relaxFixture(c.code, &sym)
			e := f.edge(c.kind, c.off, c.addend)
			n, err := (Arch{}).Scan(f.l, f.sec, e, f.t)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != c.kind {
				t.Errorf("kind changed to %s", KindName(e.Kind))
			}
			if k := Relaxed(f.sec, e, f.t); k != c.kind {
				t.Errorf("Relaxed = %s, want %s", KindName(k), KindName(c.kind))
			}
			if n&jitlink.NeedGOT == 0 {
				t.Error("NeedsGOT not set")
			}
		})
	}
}

func TestScanNeeds(t *testing.T) {
	const far = 0x7f12_3456_0000
	type want struct{ got, stub, copy, gotBase bool }
	cases := []struct {
		name string
		kind uint16
		sym  jitlink.Symbol
		want want
	}{
		{"far func Branch32", Branch32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{stub: true}},
		{"far notype Branch32", Branch32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.NoType, Addr: far, Target: far}, want{stub: true}},
		{"far object Delta32", Delta32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: far, Target: far, Size: 8}, want{copy: true}},
		{"far object Pointer32S", Pointer32S, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: far, Target: far, Size: 8}, want{copy: true}},
		{"far func Delta32", Delta32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{stub: true}},
		{"far func Pointer32", Pointer32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{stub: true}},
		{"far func Pointer64", Pointer64, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{}},
		{"far object Delta64", Delta64, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: far, Target: far}, want{}},
		{"far GOTDelta32", GOTDelta32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{got: true}},
		{"local GOTDelta32", GOTDelta32, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Object, Addr: 0x1000}, want{got: true}},
		{"GOTDelta64", GOTDelta64, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Object, Addr: 0x1000}, want{got: true}},
		{"GOTEntryOffset64", GOTEntryOffset64, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}, want{got: true, gotBase: true}},
		{"GOTEntryOffset32", GOTEntryOffset32, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}, want{got: true, gotBase: true}},
		{"GOTBaseDelta32", GOTBaseDelta32, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}, want{gotBase: true}},
		{"GOTBaseDelta64", GOTBaseDelta64, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}, want{gotBase: true}},
		{"GOTOffset64", GOTOffset64, jitlink.Symbol{Def: jitlink.Defined, Addr: 0x1000}, want{gotBase: true}},
		{"far PLTOffset64", PLTOffset64, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: far, Target: far}, want{stub: true, gotBase: true}},
		{"near PLTOffset64", PLTOffset64, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: 0x1000}, want{gotBase: true}},
		{"low external Branch32", Branch32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: 0x40_0000, Target: 0x40_0000}, want{}},
		{"low external Delta32 object", Delta32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: 0x7fff_fff0, Target: 0x7fff_fff0}, want{}},
		{"external at 2GiB", Branch32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Func, Addr: 1 << 31, Target: 1 << 31}, want{stub: true}},
		{"defined Branch32", Branch32, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.Func, Addr: 0x1000}, want{}},
		{"defined ifunc", Pointer64, jitlink.Symbol{Def: jitlink.Defined, Type: jitlink.IFunc, Addr: 0x1000}, want{stub: true}},
		{"Size32", Size32, jitlink.Symbol{Def: jitlink.External, Type: jitlink.Object, Addr: far, Target: far}, want{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sym := c.sym
			f := newFixture(&sym)
			n, err := (Arch{}).Scan(f.l, f.sec, f.edge(c.kind, edgeOff, -4), f.t)
			if err != nil {
				t.Fatal(err)
			}
			got := want{n&jitlink.NeedGOT != 0, n&jitlink.NeedStub != 0, n&jitlink.NeedCopy != 0, n&jitlink.NeedGOTBase != 0}
			if got != c.want {
				t.Errorf("needs = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestWriteStub(t *testing.T) {
	cases := []struct {
		stub, slot uint64
		rel        int32
	}{
		{0x1000, 0x2000, 0x2000 - 0x1006},
		{0x5000, 0x1000, 0x1000 - 0x5006},
		{0x4000_0000, 0x4000_0006, 0},
	}
	a := Arch{}
	if a.StubSize() != 8 {
		t.Fatalf("StubSize = %d", a.StubSize())
	}
	for _, c := range cases {
		mem := bytes.Repeat([]byte{0x11}, 10)
		a.WriteStub(mem, c.stub, c.slot)
		want := []byte{0xff, 0x25, 0, 0, 0, 0, 0xcc, 0xcc, 0x11, 0x11}
		binary.LittleEndian.PutUint32(want[2:], uint32(c.rel))
		if !bytes.Equal(mem, want) {
			t.Errorf("stub %#x slot %#x: got % x, want % x", c.stub, c.slot, mem, want)
		}
	}
}

func TestInitCodeWrapper(t *testing.T) {
	a := Arch{}
	if got := a.InitCodePrologue(); !bytes.Equal(got, []byte{0x48, 0x83, 0xec, 0x08}) {
		t.Errorf("prologue % x", got)
	}
	if got := a.InitCodeEpilogue(); !bytes.Equal(got, []byte{0x48, 0x83, 0xc4, 0x08, 0xc3}) {
		t.Errorf("epilogue % x", got)
	}
}

func TestWrittenPages(t *testing.T) {
	const page = 0x1000
	g := &jitlink.Graph{Name: "pages.o"}
	code := &jitlink.Section{Name: ".text", Graph: g, Kind: jitlink.KindCode, Size: 4 * page, Addr: 0x10000,
		Edges: []jitlink.Edge{{Offset: 0x10, Kind: Delta32}, {Offset: 0x20, Kind: Delta32}, {Offset: 2*page + 4, Kind: Delta32}}}
	// A discarded COMDAT copy is not loaded: its edges write nothing.
	dropped := &jitlink.Section{Name: ".text.dup", Graph: g, Kind: jitlink.KindCode, Size: page, Addr: 0x30000, Discard: true,
		Edges: []jitlink.Edge{{Offset: 0, Kind: Delta32}}}
	g.Sections = []*jitlink.Section{nil, code, dropped}
	g.Symbols = []*jitlink.Symbol{nil}
	l := jitlink.NewLink("pages", Arch{}, []*jitlink.Graph{g})
	l.Segments = []jitlink.Segment{{Perm: jitlink.PermRX, Addr: 0x10000, Size: 4 * page}, {Perm: jitlink.PermRelro, Addr: 0x20000, Size: page + 8}}
	l.GOT = make([]jitlink.GOTEntry, 2)
	l.GOTBase = 0x20000
	written, loaded := l.WrittenPages(page)
	// Pages 0x10 and 0x12 of the code (0x11 and 0x13 hold no fixup) and the GOT's page;
	// the relro segment's 8 bytes past a page take a sixth page.
	if written != 3 || loaded != 6 {
		t.Errorf("WrittenPages = %d written, %d loaded; want 3, 6", written, loaded)
	}
}
