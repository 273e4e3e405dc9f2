package linux

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/jitrun/jitrun/jitlink"
)

const (
	mapFixedNoreplace = 0x100000
	lowLimit          = 1 << 31 // everything JIT'd lives below 2 GiB: 32-bit fixups reach it all
	lowFloor          = 1 << 24 // stay clear of the first 16 MiB (NULL page, vm.mmap_min_addr)
	heapHeadroom      = 256 << 20
	// fixedBase is where allocation starts when the window covers it: above where the brk
	// heap can start (up to 1 GiB past the executable, with ASLR) plus its headroom, so
	// JIT'd code lands at the same addresses in every run, and its debug file, named by a
	// build id that covers the addresses, is written once and reused. The window's part
	// below it is used when the 512 MiB above are exhausted.
	fixedBase = 0x60000000
)

// LowMemory hands out memory from one window reserved in the low 2 GiB of the address space,
// found from the gaps in /proc/self/maps, so that non-PIC code (R_X86_64_32/32S), PIE code
// and the host's copies of libc variables all reach each other with 32-bit fixups.
type LowMemory struct {
	mu       sync.Mutex
	lo, hi   uint64 // reserved window
	next     uint64 // start of never-used space
	spare    span   // never-used space below where allocation started (see fixedBase)
	free     []span // returned ranges, sorted by address, coalesced
	reserved bool
	// Arenas for segments allocated on their own (AllocSegment), by final protection:
	// read-execute, read-only, read-write.
	arenas [3]arena
}

// arena is a range of the window handed out to segments of one final protection, one after
// the other: once each has its final protection the kernel merges them into one mapping
// with the arena's earlier segments, so many small links (lazy batches) do not each add a
// mapping per permission (the process's limit, vm.max_map_count, is 65,530).
type arena struct {
	next, end uint64
	chunks    int // chunks taken so far: each is twice the previous, up to arenaMaxChunk
}

const (
	arenaChunk    = 1 << 20
	arenaMaxChunk = 64 << 20
)

type span struct{ addr, size uint64 }

// processLow is the process's one low window: every session shares it (a second reservation
// would find the first one in its way).
var processLow = &LowMemory{}

// NewLowMemory returns the process's low-window allocator, which reserves its window on
// first use.
func NewLowMemory() *LowMemory { return processLow }

type mapping struct {
	lo, hi uint64
	name   string
}

func readMaps() ([]mapping, error) {
	data, err := readSmallFile("/proc/self/maps")
	if err != nil {
		return nil, err
	}
	var ms []mapping
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		dash := strings.IndexByte(line, '-')
		sp := strings.IndexByte(line, ' ')
		if dash < 0 || sp < dash {
			continue
		}
		lo, err1 := strconv.ParseUint(line[:dash], 16, 64)
		hi, err2 := strconv.ParseUint(line[dash+1:sp], 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		fields := strings.Fields(line)
		name := ""
		if len(fields) >= 6 {
			name = fields[5]
		}
		ms = append(ms, mapping{lo, hi, name})
	}
	return ms, sc.Err()
}

// reserve finds the largest free gap below 2 GiB (leaving room above the brk heap for it to
// grow) and reserves it PROT_NONE.
func (m *LowMemory) reserve() error {
	ms, err := readMaps()
	if err != nil {
		return fmt.Errorf("reading /proc/self/maps: %w", err)
	}
	// Start above everything already mapped below 2 GiB (the host executable and the brk
	// heap), with headroom for the heap to grow; malloc falls back to mmap if it runs into us.
	floor := uint64(lowFloor)
	for _, mp := range ms {
		if mp.lo < lowLimit && mp.hi+heapHeadroom > floor {
			floor = mp.hi + heapHeadroom
		}
	}
	best, bestLo := uint64(0), uint64(0)
	prev := floor
	check := func(lo, hi uint64) {
		if lo < floor {
			lo = floor
		}
		if hi > lowLimit {
			hi = lowLimit
		}
		if hi > lo && hi-lo > best {
			best, bestLo = hi-lo, lo
		}
	}
	for _, mp := range ms {
		if mp.lo > prev {
			check(prev, mp.lo)
		}
		if mp.hi > prev {
			prev = mp.hi
		}
	}
	check(prev, lowLimit)
	best &^= pageMask
	bestLo = (bestLo + pageMask) &^ pageMask
	if best < 64<<20 {
		return fmt.Errorf("no room for JIT'd code below 2 GiB (largest gap %d MiB)", best>>20)
	}
	addr, _, errno := syscall.Syscall6(syscall.SYS_MMAP, uintptr(bestLo), uintptr(best), syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE|mapFixedNoreplace, ^uintptr(0), 0)
	if errno != 0 || uint64(addr) != bestLo {
		return fmt.Errorf("reserving %d MiB at %#x below 2 GiB: %v", best>>20, bestLo, errno)
	}
	m.lo, m.hi, m.next, m.reserved = bestLo, bestLo+best, bestLo, true
	if fixedBase > bestLo && fixedBase+64<<20 <= m.hi {
		m.next = fixedBase
		m.spare = span{bestLo, fixedBase - bestLo}
	}
	return nil
}

const pageMask = 4095

// Alloc maps size bytes read-write in the low window.
func (m *LowMemory) Alloc(size uint64) (uint64, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	size = (size + pageMask) &^ pageMask
	addr, err := m.take(size)
	if err != nil {
		return 0, nil, err
	}
	_, _, errno := syscall.Syscall6(syscall.SYS_MMAP, uintptr(addr), uintptr(size), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_FIXED, ^uintptr(0), 0)
	if errno != 0 {
		return 0, nil, fmt.Errorf("mapping %d bytes at %#x: %v", size, addr, errno)
	}
	return addr, unsafe.Slice((*byte)(Ptr(addr)), size), nil
}

// AllocSegment maps size bytes read-write in the low window for a segment of permission p,
// right after the last segment of the same final protection (see arena). The caller gives
// it that protection (Protect) once it is written.
func (m *LowMemory) AllocSegment(p jitlink.Perm, size uint64) (uint64, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	size = (size + pageMask) &^ pageMask
	a := &m.arenas[0]
	switch p {
	case jitlink.PermR, jitlink.PermRelro:
		a = &m.arenas[1]
	case jitlink.PermRW, jitlink.PermRWZero:
		a = &m.arenas[2]
	}
	if size > a.end-a.next {
		chunk := uint64(arenaChunk) << min(a.chunks, 6)
		chunk = max(min(chunk, arenaMaxChunk), size)
		addr, err := m.take(chunk)
		if err != nil {
			return 0, nil, err
		}
		a.next, a.end = addr, addr+chunk
		a.chunks++
	}
	addr := a.next
	a.next += size
	// The arena's range is reserved PROT_NONE (never touched, or re-reserved by Free):
	// making it writable maps nothing yet, and the pages it faults in are zero.
	_, _, errno := syscall.Syscall(syscall.SYS_MPROTECT, uintptr(addr), uintptr(size), syscall.PROT_READ|syscall.PROT_WRITE)
	if errno != 0 {
		return 0, nil, fmt.Errorf("mprotect %#x+%#x: %v", addr, size, errno)
	}
	return addr, unsafe.Slice((*byte)(Ptr(addr)), size), nil
}

// take finds size bytes (page-aligned) of unused window, reserved PROT_NONE, reserving the
// window on first use. The caller holds m.mu.
func (m *LowMemory) take(size uint64) (uint64, error) {
	if !m.reserved {
		if err := m.reserve(); err != nil {
			return 0, err
		}
	}
	addr, fromFree := uint64(0), false
	for i, f := range m.free { // first fit among returned ranges
		if f.size >= size {
			addr, fromFree = f.addr, true
			if f.size == size {
				m.free = append(m.free[:i], m.free[i+1:]...)
			} else {
				m.free[i] = span{f.addr + size, f.size - size}
			}
			break
		}
	}
	if !fromFree {
		switch {
		case size <= m.hi-m.next:
			addr = m.next
			m.next += size
		case size <= m.spare.size:
			addr = m.spare.addr
			m.spare = span{m.spare.addr + size, m.spare.size - size}
		default:
			return 0, fmt.Errorf("out of JIT memory below 2 GiB: need %d MiB, %d MiB left", size>>20, max(m.hi-m.next, m.spare.size)>>20)
		}
	}
	return addr, nil
}

// Populate faults in the pages of [addr, addr+size) for writing in one call
// (MADV_POPULATE_WRITE, Linux 5.14): cheaper than taking the faults one page at a time while
// the sections are copied. Older kernels refuse it, and the faults happen as before.
func (m *LowMemory) Populate(addr, size uint64) {
	const madvPopulateWrite = 23
	size &^= pageMask
	if size > 0 {
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(addr), uintptr(size), madvPopulateWrite)
	}
}

// Free returns a range obtained from Alloc: its pages go back to the kernel (the range is
// re-reserved PROT_NONE, so nothing else is mapped there) and it can be allocated again.
func (m *LowMemory) Free(addr, size uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	size = (size + pageMask) &^ pageMask
	if addr < m.lo || addr+size > m.next {
		return fmt.Errorf("freeing %#x+%#x: not JIT memory", addr, size)
	}
	_, _, errno := syscall.Syscall6(syscall.SYS_MMAP, uintptr(addr), uintptr(size), syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE|syscall.MAP_FIXED, ^uintptr(0), 0)
	if errno != 0 {
		return fmt.Errorf("unmapping %#x+%#x: %v", addr, size, errno)
	}
	i := sort.Search(len(m.free), func(i int) bool { return m.free[i].addr > addr })
	m.free = append(m.free, span{})
	copy(m.free[i+1:], m.free[i:])
	m.free[i] = span{addr, size}
	// Coalesce with the neighbours.
	if i+1 < len(m.free) && m.free[i].addr+m.free[i].size == m.free[i+1].addr {
		m.free[i].size += m.free[i+1].size
		m.free = append(m.free[:i+1], m.free[i+2:]...)
	}
	if i > 0 && m.free[i-1].addr+m.free[i-1].size == m.free[i].addr {
		m.free[i-1].size += m.free[i].size
		m.free = append(m.free[:i], m.free[i+1:]...)
	}
	return nil
}

// Protect sets a range's final permission; memory is never writable and executable at once.
func (m *LowMemory) Protect(addr, size uint64, p jitlink.Perm) error {
	prot := syscall.PROT_READ
	switch p {
	case jitlink.PermRX:
		prot |= syscall.PROT_EXEC
	case jitlink.PermRW, jitlink.PermRWZero:
		prot |= syscall.PROT_WRITE
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MPROTECT, uintptr(addr), uintptr((size+pageMask)&^pageMask), uintptr(prot))
	if errno != 0 {
		return fmt.Errorf("mprotect %#x+%#x: %v", addr, size, errno)
	}
	return nil
}

// Window returns the reserved low window (0, 0 before the first allocation).
func (m *LowMemory) Window() (lo, hi uint64) { return m.lo, m.hi }

// Ptr converts an address in the process to a pointer.
func Ptr(addr uint64) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }
