package x86_64

// LazyStubSize is the size of a lazy stub (see WriteLazyStub).
const LazyStubSize = 16

// WriteLazyStub writes the stub of a lazily linked function at stubAddr: an indirect jump
// through slotAddr, and after it the path the slot first points at (LazyStubResume):
//
//	jmp *slot(%rip)      ff 25 rel32
//	push $index          68 imm32
//	jmp entry            e9 rel32
//
// entry (the resolver trampoline) finds the index on the stack, links the function, patches
// the slot and jumps on. index must fit in 31 bits (push sign-extends).
func WriteLazyStub(mem []byte, stubAddr, slotAddr, entry uint64, index uint32) {
	mem[0], mem[1] = 0xff, 0x25
	le.PutUint32(mem[2:], uint32(int32(int64(slotAddr-(stubAddr+6)))))
	mem[6] = 0x68
	le.PutUint32(mem[7:], index)
	mem[11] = 0xe9
	le.PutUint32(mem[12:], uint32(int32(int64(entry-(stubAddr+16)))))
}

// LazyStubResume is the offset in a lazy stub of the code a fresh slot points at.
const LazyStubResume = 6

// AddressOnly reports whether an edge of this kind and addend uses nothing of its target but
// its address, so that a stub standing for a function can take the function's place: calls
// and jumps, GOT entries, absolute and PC-relative address constants (PC-relative ones carry
// the usual -4..-8 addend of the instruction's tail). Anything else (an offset into the
// function's code, its size) needs the function itself.
func AddressOnly(kind uint16, addend int64) bool {
	switch kind {
	case Branch32, PLTOffset64, GOTDelta32, GOTDelta32Relax, GOTDelta32RelaxREX, GOTDelta64,
		GOTEntryOffset64, GOTEntryOffset32, RelaxedLoadToLea, RelaxedCall, RelaxedJump, Size32, Size64:
		return true
	case Pointer64, Pointer32, Pointer32S, GOTOffset64:
		return addend == 0
	case Delta32, Delta64:
		return addend <= 0 && addend >= -8
	}
	return false
}

// IsCall reports whether an edge is a direct call or jump (whose target may be reached
// through a stub without changing what the program can observe).
func IsCall(kind uint16) bool { return kind == Branch32 || kind == RelaxedCall || kind == RelaxedJump }
