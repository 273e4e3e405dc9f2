package x86_64

import (
	"bytes"
	"testing"
)

func TestWriteLazyStub(t *testing.T) {
	mem := make([]byte, LazyStubSize)
	// stub at 0x1000, slot at 0x3000, resolver entry at 0x401000, index 7.
	WriteLazyStub(mem, 0x1000, 0x3000, 0x401000, 7)
	want := []byte{
		0xff, 0x25, 0xfa, 0x1f, 0x00, 0x00, // jmp *0x3000(%rip): 0x3000 - 0x1006
		0x68, 0x07, 0x00, 0x00, 0x00, // push $7
		0xe9, 0xf0, 0xff, 0x3f, 0x00, // jmp 0x401000: 0x401000 - 0x1010
	}
	if !bytes.Equal(mem, want) {
		t.Errorf("stub % x, want % x", mem, want)
	}
	if LazyStubResume != 6 || mem[LazyStubResume] != 0x68 {
		t.Errorf("a fresh slot must point at the push")
	}
}

func TestAddressOnly(t *testing.T) {
	for _, c := range []struct {
		kind   uint16
		addend int64
		want   bool
	}{
		{Branch32, -4, true},        // call foo
		{Delta32, -4, true},         // lea foo(%rip)
		{Pointer64, 0, true},        // .quad foo
		{Pointer64, 16, false},      // .quad foo+16
		{Delta32, 12, false},        // lea foo+16(%rip)
		{GOTDelta32Relax, -4, true}, // mov foo@GOTPCREL(%rip)
		{TPOff32, 0, false},         // not an address
		{Pointer32S, 0, true},       // movl $foo
		{Delta64, -100, false},      // an offset into the code
	} {
		if got := AddressOnly(c.kind, c.addend); got != c.want {
			t.Errorf("AddressOnly(%s, %d) = %v, want %v", KindName(c.kind), c.addend, got, c.want)
		}
	}
}
