package x86_64

import (
	"encoding/binary"
	"fmt"

	"github.com/jitrun/jitrun/jitlink"
)

// Arch is the x86-64 fixup implementation.
type Arch struct{}

var le = binary.LittleEndian

// reach is the bound below which an address can be reached by every 32-bit fixup from JIT'd
// memory, which the loader places in the low 2 GiB.
const reach = 1 << 31

// far reports whether a definition is outside the reach of 32-bit fixups.
// An external whose library is not loaded yet (Target 0) will be: shared libraries are
// mapped far above 2 GiB.
func far(t *jitlink.Symbol) bool {
	return t.Def == jitlink.External && (t.Target == 0 || t.Target >= reach)
}

// funcLike reports whether an external symbol is code (reached through a stub) rather than
// data (reached through a copy).
func funcLike(t *jitlink.Symbol) bool {
	return t.Type == jitlink.Func || t.Type == jitlink.IFunc || t.Type == jitlink.NoType
}

// definedHere reports whether a target's address is JIT'd memory of this link (so a GOT
// load of it can become a direct reference).
func definedHere(t *jitlink.Symbol) bool {
	return (t.Def == jitlink.Defined || t.Def == jitlink.Common || t.Def == jitlink.Synthetic) && t.Type != jitlink.IFunc
}

// Relaxed returns the kind a GOTPCRELX edge is applied as: the direct form (lea, call, jmp)
// when its target is in this link's memory and the instruction allows it, else its own
// kind (a GOT load). Scan and Apply both ask, so the edge itself is never changed: edges
// may be views of the input's relocation records.
func Relaxed(sec *jitlink.Section, e *jitlink.Edge, t *jitlink.Symbol) uint16 {
	if (e.Kind == GOTDelta32Relax || e.Kind == GOTDelta32RelaxREX) && definedHere(t) && e.Addend == -4 && e.Offset >= 2 {
		if k := relaxKind(sec.Data, e); k != None {
			return k
		}
	}
	return e.Kind
}

// Scan returns what an edge needs. GOT loads of definitions need nothing: they are relaxed
// (Relaxed) when applied.
func (Arch) Scan(l *jitlink.Link, sec *jitlink.Section, e *jitlink.Edge, t *jitlink.Symbol) (jitlink.Needs, error) {
	var n jitlink.Needs
	if t.Def == jitlink.Defined && t.Type == jitlink.IFunc {
		// An IFUNC's canonical address is a stub that jumps to the selected implementation.
		n |= jitlink.NeedStub
	}
	switch e.Kind {
	case GOTDelta32Relax, GOTDelta32RelaxREX:
		if Relaxed(sec, e, t) != e.Kind {
			return n, nil
		}
		n |= jitlink.NeedGOT
	case GOTDelta32, GOTDelta64:
		n |= jitlink.NeedGOT
	case GOTEntryOffset64, GOTEntryOffset32:
		n |= jitlink.NeedGOT | jitlink.NeedGOTBase
	case GOTBaseDelta32, GOTBaseDelta64, GOTOffset64:
		n |= jitlink.NeedGOTBase
	case PLTOffset64:
		n |= jitlink.NeedGOTBase
		if far(t) {
			n |= jitlink.NeedStub
		}
	case Branch32:
		if far(t) {
			n |= jitlink.NeedStub
		}
	case Delta32, Pointer32, Pointer32S, Delta16, Pointer16, Delta8, Pointer8:
		if far(t) {
			if funcLike(t) {
				n |= jitlink.NeedStub
			} else {
				n |= jitlink.NeedCopy
			}
		}
	case Pointer64, Delta64, Size32, Size64, None:
	case TLSGD:
		n |= jitlink.NeedTLSGD
	case TLSLD:
		n |= jitlink.NeedTLSLD
	case DTPOff32, DTPOff64, DTPMod64:
	case GOTTPOff:
		n |= jitlink.NeedGOTTP | needStatic(t)
	case TPOff32, TPOff64:
		n |= needStatic(t)
	case GOTPC32TLSDesc:
		// A TLS descriptor: relaxed to initial exec when the link's block is static TLS
		// anyway, else a dynamic descriptor (decided once the whole link is scanned).
		c := sec.Data
		if e.Offset < 3 || e.Offset+4 > uint64(len(c)) || c[e.Offset-2] != 0x8d || c[e.Offset-1]&0xc7 != 0x05 {
			return 0, l.EdgeError(sec, e, "unrecognised TLS descriptor instruction")
		}
		n |= jitlink.NeedTLSDesc
	case TLSDescCall:
		c := sec.Data
		if e.Offset+2 > uint64(len(c)) || c[e.Offset] != 0xff || c[e.Offset+1] != 0x10 {
			return 0, l.EdgeError(sec, e, "unrecognised TLS descriptor call")
		}
	default:
		return 0, l.EdgeError(sec, e, "unsupported fixup kind "+KindName(e.Kind))
	}
	return n, nil
}

// needStatic notes that the TLS block needs a fixed offset from the thread pointer on every
// thread (static TLS), which initial- and local-exec accesses assume.
func needStatic(t *jitlink.Symbol) jitlink.Needs {
	if t.Def == jitlink.External {
		return 0 // the library's TLS must be static: checked when it is loaded
	}
	return jitlink.NeedStaticTLS
}

// relaxKind decides whether a GOTPCRELX load can become a direct reference, from the opcode.
func relaxKind(code []byte, e *jitlink.Edge) uint16 {
	if code == nil || e.Offset < 2 || e.Offset+4 > uint64(len(code)) {
		return None
	}
	op, modrm := code[e.Offset-2], code[e.Offset-1]
	switch {
	case op == 0x8b: // mov foo@GOTPCREL(%rip), %reg
		return RelaxedLoadToLea
	case op == 0xff && modrm == 0x15 && e.Kind == GOTDelta32Relax: // call *foo@GOTPCREL(%rip)
		return RelaxedCall
	case op == 0xff && modrm == 0x25 && e.Kind == GOTDelta32Relax: // jmp *foo@GOTPCREL(%rip)
		return RelaxedJump
	}
	return None
}

// Apply computes and writes one fixup.
func (Arch) Apply(l *jitlink.Link, sec *jitlink.Section, mem []byte, e *jitlink.Edge, t *jitlink.Symbol) error {
	S, A := t.Addr, uint64(e.Addend)
	P := sec.Addr + e.Offset
	b := mem[e.Offset:]
	got := func() uint64 { return l.GOTBase + uint64(t.GOTIndex)*8 }
	kind := e.Kind
	if kind == GOTDelta32Relax || kind == GOTDelta32RelaxREX {
		kind = Relaxed(sec, e, t)
	}
	switch kind {
	case None:
	case Pointer64:
		le.PutUint64(b, S+A)
	case Pointer32:
		v := S + A
		if v > 0xffffffff {
			return overflow(l, sec, e, v, "32 bits (unsigned)")
		}
		le.PutUint32(b, uint32(v))
	case Pointer32S:
		return put32s(l, sec, e, b, int64(S+A))
	case Pointer16:
		v := S + A
		if !fits(v, 16) {
			return overflow(l, sec, e, v, "16 bits")
		}
		le.PutUint16(b, uint16(v))
	case Pointer8:
		v := S + A
		if !fits(v, 8) {
			return overflow(l, sec, e, v, "8 bits")
		}
		b[0] = byte(v)
	case Delta64:
		le.PutUint64(b, S+A-P)
	case Delta32, Branch32:
		return put32s(l, sec, e, b, int64(S+A-P))
	case Delta16:
		v := int64(S + A - P)
		if v != int64(int16(v)) {
			return overflow(l, sec, e, uint64(v), "16 bits")
		}
		le.PutUint16(b, uint16(v))
	case Delta8:
		v := int64(S + A - P)
		if v != int64(int8(v)) {
			return overflow(l, sec, e, uint64(v), "8 bits")
		}
		b[0] = byte(v)
	case GOTDelta32, GOTDelta32Relax, GOTDelta32RelaxREX:
		return put32s(l, sec, e, b, int64(got()+A-P))
	case GOTDelta64:
		le.PutUint64(b, got()+A-P)
	case GOTBaseDelta32:
		return put32s(l, sec, e, b, int64(l.GOTBase+A-P))
	case GOTBaseDelta64:
		le.PutUint64(b, l.GOTBase+A-P)
	case GOTOffset64:
		le.PutUint64(b, S+A-l.GOTBase)
	case GOTEntryOffset64:
		le.PutUint64(b, uint64(t.GOTIndex)*8+A)
	case GOTEntryOffset32:
		return put32s(l, sec, e, b, int64(uint64(t.GOTIndex)*8+A))
	case PLTOffset64:
		le.PutUint64(b, S+A-l.GOTBase)
	case Size32:
		v := t.Size + A
		if v > 0xffffffff {
			return overflow(l, sec, e, v, "32 bits")
		}
		le.PutUint32(b, uint32(v))
	case Size64:
		le.PutUint64(b, t.Size+A)
	case RelaxedLoadToLea:
		mem[e.Offset-2] = 0x8d
		return put32s(l, sec, e, b, int64(S+A-P))
	case RelaxedCall:
		mem[e.Offset-2], mem[e.Offset-1] = 0x67, 0xe8 // addr32 call rel32
		return put32s(l, sec, e, b, int64(S+A-P))
	case RelaxedJump:
		mem[e.Offset-2] = 0xe9 // jmp rel32; nop
		mem[e.Offset+3] = 0x90
		return put32s(l, sec, e, mem[e.Offset-1:], int64(S+A-(P-1)))
	case TLSGD:
		return put32s(l, sec, e, b, int64(l.GOTBase+uint64(gotIndex(t, 1))*8+A-P))
	case TLSLD:
		return put32s(l, sec, e, b, int64(l.GOTBase+uint64(l.TLS.LDIndex)*8+A-P))
	case DTPOff32:
		return put32s(l, sec, e, b, int64(S+A))
	case DTPOff64:
		le.PutUint64(b, S+A)
	case DTPMod64:
		le.PutUint64(b, l.Module(t))
	case GOTTPOff:
		return put32s(l, sec, e, b, int64(l.GOTBase+uint64(gotIndex(t, 2))*8+A-P))
	case GOTPC32TLSDesc:
		if t.TLSDescIE {
			mem[e.Offset-2] = 0x8b // lea x@tlsdesc -> mov x@gottpoff
			return put32s(l, sec, e, b, int64(l.GOTBase+uint64(gotIndex(t, 2))*8+A-P))
		}
		return put32s(l, sec, e, b, int64(l.GOTBase+uint64(gotIndex(t, 0))*8+A-P))
	case TLSDescCall:
		if t.TLSDescIE {
			mem[e.Offset], mem[e.Offset+1] = 0x66, 0x90 // call *(%rax) -> xchg %ax,%ax
		}
	case TPOff32:
		return put32s(l, sec, e, b, int64(l.TPOff(t)+A))
	case TPOff64:
		le.PutUint64(b, l.TPOff(t)+A)
	default:
		return l.EdgeError(sec, e, "unsupported fixup kind "+KindName(e.Kind))
	}
	return nil
}

// fits reports whether v is representable in n bits as either an unsigned or a signed value.
func fits(v uint64, n uint) bool {
	return v < 1<<n || int64(v) < 0 && int64(v) >= -(1<<(n-1))
}

func put32s(l *jitlink.Link, sec *jitlink.Section, e *jitlink.Edge, b []byte, v int64) error {
	if v != int64(int32(v)) {
		return overflow(l, sec, e, uint64(v), "32 bits (signed)")
	}
	le.PutUint32(b, uint32(v))
	return nil
}

func overflow(l *jitlink.Link, sec *jitlink.Section, e *jitlink.Edge, v uint64, width string) error {
	return l.EdgeError(sec, e, fmt.Sprintf("relocation overflow: value %#x does not fit in %s", v, width))
}

// StubSize is the size of a stub: jmp *slot(%rip), padded to 8 bytes.
func (Arch) StubSize() uint64 { return 8 }

// WriteStub writes jmp *slot(%rip) followed by two int3 bytes.
func (Arch) WriteStub(mem []byte, stubAddr, slotAddr uint64) {
	mem[0], mem[1] = 0xff, 0x25
	le.PutUint32(mem[2:], uint32(int32(int64(slotAddr-(stubAddr+6)))))
	mem[6], mem[7] = 0xcc, 0xcc
}

// InitCodePrologue aligns the stack for the calls in .init fragments (sub $8,%rsp), as crti.o does.
func (Arch) InitCodePrologue() []byte { return []byte{0x48, 0x83, 0xec, 0x08} }

// InitCodeEpilogue undoes the prologue and returns (add $8,%rsp; ret), as crtn.o does.
func (Arch) InitCodeEpilogue() []byte { return []byte{0x48, 0x83, 0xc4, 0x08, 0xc3} }

// KindName names an edge kind.
func (Arch) KindName(k uint16) string { return KindName(k) }

// gotIndex returns one of t's TLS GOT indices: 0 its descriptor pair, 1 its {module, offset}
// pair, 2 its initial-exec offset entry.
func gotIndex(t *jitlink.Symbol, which int) int32 {
	desc, gd, gottp := t.TLSIndices()
	return [3]int32{desc, gd, gottp}[which]
}
