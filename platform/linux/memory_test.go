package linux

import "testing"

// TestLowMemoryReuse allocates, frees and reallocates: freed ranges coalesce and are reused,
// memory stays below 2 GiB, and a freed range is no longer accessible (PROT_NONE).
func TestLowMemoryReuse(t *testing.T) {
	m := NewLowMemory()
	a, ma, err := m.Alloc(3 * 4096)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := m.Alloc(4096)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := m.Alloc(2 * 4096)
	if err != nil {
		t.Fatal(err)
	}
	if a+3*4096 > lowLimit || c+2*4096 > lowLimit {
		t.Fatalf("allocations above 2 GiB: %#x %#x", a, c)
	}
	ma[0] = 1 // writable
	if err := m.Free(a, 3*4096); err != nil {
		t.Fatal(err)
	}
	if err := m.Free(b, 4096); err != nil {
		t.Fatal(err)
	}
	// a and b coalesce into one 4-page range, reused by a 4-page allocation.
	d, md, err := m.Alloc(4 * 4096)
	if err != nil {
		t.Fatal(err)
	}
	if d != a {
		t.Errorf("4-page allocation at %#x, want the coalesced free range at %#x", d, a)
	}
	if md[0] != 0 {
		t.Errorf("reused memory not zeroed")
	}
	if err := m.Free(c, 2*4096); err != nil {
		t.Fatal(err)
	}
	if err := m.Free(0x1000, 4096); err == nil {
		t.Errorf("freeing memory outside the window succeeded")
	}
	_ = m.Free(d, 4*4096)
}
