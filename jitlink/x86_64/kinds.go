// Package x86_64 holds all of jitrun's knowledge of the x86-64 instruction set: fixup edge
// kinds, what each needs (GOT entries, stubs, copies), relaxation, the relocation math, and
// stub code.
package x86_64

// Edge kinds. Object readers map their relocation types onto these; names follow what the
// fixup computes (S symbol, A addend, P place, G GOT entry, GOT GOT base, L stub or symbol,
// Z size).
const (
	None               uint16 = iota
	Pointer64                 // S+A, 64 bits
	Pointer32                 // S+A, zero-extended 32 bits
	Pointer32S                // S+A, sign-extended 32 bits
	Pointer16                 // S+A, 16 bits
	Pointer8                  // S+A, 8 bits
	Delta64                   // S+A-P, 64 bits
	Delta32                   // S+A-P, 32 bits
	Delta16                   // S+A-P, 16 bits
	Delta8                    // S+A-P, 8 bits
	Branch32                  // L+A-P, a call or jump that may go through a stub
	GOTDelta32                // G+GOT+A-P (GOTPCREL)
	GOTDelta32Relax           // GOTPCRELX: as GOTDelta32, may be relaxed
	GOTDelta32RelaxREX        // REX_GOTPCRELX: as GOTDelta32, may be relaxed
	GOTDelta64                // G+GOT+A-P, 64 bits (GOTPCREL64)
	GOTBaseDelta32            // GOT+A-P (GOTPC32)
	GOTBaseDelta64            // GOT+A-P, 64 bits (GOTPC64)
	GOTOffset64               // S+A-GOT (GOTOFF64)
	GOTEntryOffset64          // G+A (GOT64)
	GOTEntryOffset32          // G+A (GOT32)
	PLTOffset64               // L-GOT+A (PLTOFF64)
	Size32                    // Z+A
	Size64                    // Z+A, 64 bits
	// Relaxed forms, chosen by Scan.
	RelaxedLoadToLea // mov foo@GOTPCREL(%rip),%reg -> lea foo(%rip),%reg
	RelaxedCall      // call *foo@GOTPCREL(%rip) -> addr32 call foo
	RelaxedJump      // jmp *foo@GOTPCREL(%rip) -> jmp foo; nop
	// Thread-local storage.
	TLSGD          // general dynamic: lea x@tlsgd(%rip),%rdi
	TLSLD          // local dynamic: lea x@tlsld(%rip),%rdi
	DTPOff32       // offset in the module's TLS block
	DTPOff64       // offset in the module's TLS block, 64 bits
	GOTTPOff       // initial exec: GOT entry holding the %fs offset
	TPOff32        // local exec: %fs offset
	TPOff64        // %fs offset, 64 bits
	GOTPC32TLSDesc // TLS descriptor in the GOT
	TLSDescCall    // call *x@tlsdesc(%rax): marker
	DTPMod64       // TLS module id
	numKinds
)

// NumKinds is how many fixup kinds there are: every kind is below it.
const NumKinds = numKinds

var kindNames = [numKinds]string{"None", "Pointer64", "Pointer32", "Pointer32S", "Pointer16", "Pointer8",
	"Delta64", "Delta32", "Delta16", "Delta8", "Branch32", "GOTDelta32", "GOTDelta32Relax",
	"GOTDelta32RelaxREX", "GOTDelta64", "GOTBaseDelta32", "GOTBaseDelta64", "GOTOffset64",
	"GOTEntryOffset64", "GOTEntryOffset32", "PLTOffset64", "Size32", "Size64", "RelaxedLoadToLea",
	"RelaxedCall", "RelaxedJump", "TLSGD", "TLSLD", "DTPOff32", "DTPOff64", "GOTTPOff", "TPOff32",
	"TPOff64", "GOTPC32TLSDesc", "TLSDescCall", "DTPMod64"}

// KindName names an edge kind.
func KindName(k uint16) string {
	if k < numKinds {
		return kindNames[k]
	}
	return "unknown"
}

// Width is the number of bytes an edge kind writes.
func Width(k uint16) int {
	switch k {
	case None, TLSDescCall:
		return 0
	case Pointer64, Delta64, GOTDelta64, GOTBaseDelta64, GOTOffset64, GOTEntryOffset64, PLTOffset64,
		Size64, DTPOff64, TPOff64, DTPMod64:
		return 8
	case Pointer16, Delta16:
		return 2
	case Pointer8, Delta8:
		return 1
	}
	return 4
}

// IsTLS reports whether a kind is a thread-local storage fixup.
func IsTLS(k uint16) bool { return k >= TLSGD && k < numKinds }
