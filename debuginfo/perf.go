package debuginfo

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"
)

// PerfMapPath is the perf map perf reads for a process: /tmp/perf-PID.map.
func PerfMapPath(pid int) string { return fmt.Sprintf("/tmp/perf-%d.map", pid) }

var perfMu sync.Mutex

// WritePerfMap appends "START SIZE name" lines (hex) for the functions to /tmp/perf-PID.map.
func WritePerfMap(syms []Sym) error {
	perfMu.Lock()
	defer perfMu.Unlock()
	fd, err := syscall.Open(PerfMapPath(os.Getpid()), syscall.O_WRONLY|syscall.O_CREAT|syscall.O_APPEND|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return &os.PathError{Op: "open", Path: PerfMapPath(os.Getpid()), Err: err}
	}
	f := fdWriter(fd)
	w := bufio.NewWriterSize(f, 64<<10)
	for _, s := range syms {
		if !s.Func {
			continue
		}
		size := s.Size
		if size == 0 {
			size = 1
		}
		fmt.Fprintf(w, "%x %x %s\n", s.Addr, size, s.Name)
	}
	err = w.Flush()
	syscall.Close(fd)
	return err
}

// fdWriter writes to a descriptor without an os.File (which would bring in the poller).
type fdWriter int

func (f fdWriter) Write(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := syscall.Write(int(f), b[n:])
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// jitdump format (linux tools/perf/Documentation/jitdump-specification.txt).
const (
	jitMagic       = 0x4A695444
	jitHeaderSize  = 40
	jitCodeLoad    = 0
	jitCodeClose   = 3
	jitRecordHdr   = 16
	clockMonotonic = 1
)

var jd struct {
	mu    sync.Mutex
	f     fdWriter // -1 before the first dump
	path  string
	index uint64
}

// JITDumpDir is where jitdumps go: $JITDUMPDIR, else ~/.debug/jit (as perf's own agents),
// in a fresh jitrun-* directory per process: perf inject writes its jitted-PID-N.so files
// next to the dump.
func JITDumpDir() string {
	if d := os.Getenv("JITDUMPDIR"); d != "" {
		return d
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return filepath.Join(h, ".debug", "jit")
	}
	return os.TempDir()
}

// JITDumpPath returns the jitdump file of this process ("" before the first WriteJITDump).
func JITDumpPath() string {
	jd.mu.Lock()
	defer jd.mu.Unlock()
	return jd.path
}

func monotonicNS() uint64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
	return uint64(ts.Sec)*1e9 + uint64(ts.Nsec)
}

func openJITDump() error {
	if jd.path != "" {
		return nil
	}
	base := JITDumpDir()
	if err := os.MkdirAll(base, 0o700); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(base, "jitrun-")
	if err != nil {
		return err
	}
	pid := os.Getpid()
	path := filepath.Join(dir, fmt.Sprintf("jit-%d.dump", pid))
	fd, err := syscall.Open(path, syscall.O_RDWR|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	fd = moveHigh(fd, highFD) // kept open for the process's life, out of the program's way
	f := fdWriter(fd)
	var h [jitHeaderSize]byte
	le := binary.LittleEndian
	le.PutUint32(h[0:], jitMagic)
	le.PutUint32(h[4:], 1) // version
	le.PutUint32(h[8:], jitHeaderSize)
	le.PutUint32(h[12:], emX86_64)
	le.PutUint32(h[20:], uint32(pid))
	le.PutUint64(h[24:], monotonicNS())
	// flags (h[32:40]) stay 0: timestamps are CLOCK_MONOTONIC (perf record -k mono).
	if _, err := f.Write(h[:]); err != nil {
		syscall.Close(fd)
		return err
	}
	// perf record learns about the dump from an executable mapping of it; the mapping is
	// the marker and is kept for the life of the process.
	if _, err := syscall.Mmap(fd, 0, os.Getpagesize(), syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_PRIVATE); err != nil {
		syscall.Close(fd)
		return err
	}
	jd.f, jd.path = f, path
	return nil
}

// WriteJITDump appends a JIT_CODE_LOAD record (with the code bytes) for each function.
func WriteJITDump(syms []Sym) error {
	jd.mu.Lock()
	defer jd.mu.Unlock()
	if err := openJITDump(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(jd.f, 256<<10)
	le := binary.LittleEndian
	pid, tid := uint32(os.Getpid()), uint32(syscall.Gettid())
	ts := monotonicNS()
	for _, s := range syms {
		if !s.Func || s.Size == 0 {
			continue
		}
		size := jitRecordHdr + 4 + 4 + 8*4 + len(s.Name) + 1 + int(s.Size)
		var h [jitRecordHdr + 40]byte
		le.PutUint32(h[0:], jitCodeLoad)
		le.PutUint32(h[4:], uint32(size))
		le.PutUint64(h[8:], ts)
		le.PutUint32(h[16:], pid)
		le.PutUint32(h[20:], tid)
		le.PutUint64(h[24:], s.Addr) // vma
		le.PutUint64(h[32:], s.Addr) // code_addr
		le.PutUint64(h[40:], s.Size)
		le.PutUint64(h[48:], jd.index)
		jd.index++
		w.Write(h[:])
		w.WriteString(s.Name)
		w.WriteByte(0)
		w.Write(memAt(s.Addr, s.Size))
	}
	return w.Flush()
}

// CloseJITDump appends the JIT_CODE_CLOSE record.
func CloseJITDump() error {
	jd.mu.Lock()
	defer jd.mu.Unlock()
	if jd.path == "" {
		return nil
	}
	var h [jitRecordHdr]byte
	binary.LittleEndian.PutUint32(h[0:], jitCodeClose)
	binary.LittleEndian.PutUint32(h[4:], jitRecordHdr)
	binary.LittleEndian.PutUint64(h[8:], monotonicNS())
	_, err := jd.f.Write(h[:])
	return err
}
