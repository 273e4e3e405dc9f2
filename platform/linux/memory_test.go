package linux

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

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

// TestTakeAligned checks the window bookkeeping for aligned allocations: the aligned start,
// the skipped space kept free and reused, free ranges preferred over new space.
func TestTakeAligned(t *testing.T) {
	const mib = 1 << 20
	m := &LowMemory{reserved: true, lo: 0x40000000, hi: 0x50000000, next: 0x40001000}
	a, err := m.take(4*mib, hugePageSize)
	if err != nil {
		t.Fatal(err)
	}
	if a != 0x40200000 {
		t.Fatalf("aligned allocation at %#x, want 0x40200000", a)
	}
	if len(m.free) != 1 || m.free[0] != (span{0x40001000, 0x1ff000}) {
		t.Fatalf("free ranges %v, want the skipped [0x40001000, 0x40200000)", m.free)
	}
	b, err := m.take(0x1000, pageSize)
	if err != nil {
		t.Fatal(err)
	}
	if b != 0x40001000 {
		t.Errorf("page allocation at %#x, want the skipped space at 0x40001000", b)
	}
	// A free range too small once aligned is passed over; one that fits is split in three.
	m.free = []span{{0x40002000, 0x100000}, {0x41100000, 0x500000}}
	c, err := m.take(2*mib, hugePageSize)
	if err != nil {
		t.Fatal(err)
	}
	if c != 0x41200000 {
		t.Errorf("aligned allocation at %#x, want 0x41200000", c)
	}
	want := []span{{0x40002000, 0x100000}, {0x41100000, 0x100000}, {0x41400000, 0x200000}}
	if len(m.free) != len(want) {
		t.Fatalf("free ranges %v, want %v", m.free, want)
	}
	for i := range want {
		if m.free[i] != want[i] {
			t.Fatalf("free ranges %v, want %v", m.free, want)
		}
	}
	// Releasing the middle range coalesces all three.
	m.release(span{0x40102000, 0x41100000 - 0x40102000})
	m.release(span{0x41200000, 2 * mib})
	if len(m.free) != 1 || m.free[0] != (span{0x40002000, 0x41600000 - 0x40002000}) {
		t.Errorf("after releasing: %v, want one range", m.free)
	}
	if _, err := m.take(0x10000000, hugePageSize); err == nil {
		t.Errorf("allocation larger than the window succeeded")
	}
}

// TestPopulateHugePages checks that a large image gets transparent huge pages where the
// system offers them on request, and that the memory is zeroed and writable either way.
func TestPopulateHugePages(t *testing.T) {
	m := NewLowMemory()
	const size = 10 << 20
	addr, mem, err := m.Alloc(size)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Free(addr, size)
	if addr%hugePageSize != 0 {
		t.Errorf("%d MiB allocation at %#x, not 2 MiB aligned", size>>20, addr)
	}
	m.Populate(addr, size)
	for i := 0; i < size; i += pageSize {
		if mem[i] != 0 {
			t.Fatalf("byte %#x not zero", i)
		}
		mem[i] = 1
	}
	mode, _ := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if !bytes.Contains(mode, []byte("[madvise]")) && !bytes.Contains(mode, []byte("[always]")) {
		t.Logf("transparent huge pages off (%q): not checking for them", bytes.TrimSpace(mode))
		return
	}
	if n := freeHugePages(); n < size/hugePageSize {
		t.Logf("%d free huge blocks: Populate does not ask for %d", n, size/hugePageSize)
		return
	}
	huge := smapsField(t, addr, "AnonHugePages:")
	// Huge pages can be short when memory is fragmented; at least one must be there.
	if huge < 2048 {
		t.Errorf("AnonHugePages %d kB in the populated %d MiB, want at least 2048", huge, size>>20)
	}
}

// smapsField returns a kB field of the mapping containing addr in /proc/self/smaps.
func smapsField(t *testing.T, addr uint64, field string) int {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(f[0], "-"); ok && !strings.HasSuffix(f[0], ":") {
			l, _ := strconv.ParseUint(lo, 16, 64)
			h, _ := strconv.ParseUint(hi, 16, 64)
			in = l <= addr && addr < h
			continue
		}
		if in && f[0] == field && len(f) > 1 {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatalf("no %s for %#x in /proc/self/smaps", field, addr)
	return 0
}

// TestCountHugeBlocks reads /proc/buddyinfo's format: orders 9 and 10 count 1 and 2 blocks.
func TestCountHugeBlocks(t *testing.T) {
	in := []byte(`Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 
Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2    752 
Node 0, zone   Normal   8743   3597   1763   1694    995   1276    683    362    134    116   1003 
`)
	if got, want := countHugeBlocks(in), uint64(1+2*3+2+2*752+116+2*1003); got != want {
		t.Errorf("countHugeBlocks = %d, want %d", got, want)
	}
	if got := countHugeBlocks([]byte("garbage\nNode 0, zone Normal 1 2 x\n")); got != 0 {
		t.Errorf("countHugeBlocks(garbage) = %d, want 0", got)
	}
	if n := freeHugePages(); n == 0 {
		t.Logf("no free huge blocks reported (or no /proc/buddyinfo)")
	}
}
