package linux

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// Small ELF shared objects built in memory and handed to the dynamic loader: the export table
// of JIT'd symbols and the TLS module of a link. Virtual addresses equal file offsets; there
// are no section headers.

const (
	ehsize    = 64
	phentsize = 56
)

// newMemImage returns a zeroed image of total bytes with an ET_DYN x86-64 ELF header and room
// for phnum program headers right after it.
func newMemImage(total uint64, phnum int) []byte {
	b := make([]byte, total)
	initMemImage(b, phnum)
	return b
}

// initMemImage writes the ELF header of an image with phnum program headers into b.
func initMemImage(b []byte, phnum int) {
	w := binary.LittleEndian
	copy(b, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	w.PutUint16(b[16:], etDyn)
	w.PutUint16(b[18:], emX86_64)
	w.PutUint32(b[20:], 1)
	w.PutUint64(b[32:], ehsize) // e_phoff
	w.PutUint16(b[52:], ehsize)
	w.PutUint16(b[54:], phentsize)
	w.PutUint16(b[56:], uint16(phnum))
	w.PutUint16(b[58:], 64) // e_shentsize (no section headers)
}

// putPhdr writes program header i.
func putPhdr(b []byte, i int, typ, flags uint32, off, filesz, memsz, align uint64) {
	w := binary.LittleEndian
	p := b[ehsize+i*phentsize:]
	w.PutUint32(p, typ)
	w.PutUint32(p[4:], flags)
	w.PutUint64(p[8:], off)
	w.PutUint64(p[16:], off)
	w.PutUint64(p[24:], off)
	w.PutUint64(p[32:], filesz)
	w.PutUint64(p[40:], memsz)
	w.PutUint64(p[48:], align)
}

// putDynamic writes .dynamic entries (tag, value) at off.
func putDynamic(b []byte, off uint64, dyn [][2]uint64) {
	for i, d := range dyn {
		binary.LittleEndian.PutUint64(b[off+uint64(i)*16:], d[0])
		binary.LittleEndian.PutUint64(b[off+uint64(i)*16+8:], d[1])
	}
}

// livePaths are the paths of the in-memory objects currently loaded. glibc matches a dlopen'ed
// path against the names of loaded objects before opening anything, so each load uses a path
// no live object has ("/proc/self/fd/N", or with "./" inserted when N's plain form is taken),
// and the descriptor is closed right after the load: the program sees none of jitrun's
// descriptors.
var (
	livePathsMu sync.Mutex
	livePaths   = map[string]bool{}
)

func claimPath(fd uintptr) string {
	livePathsMu.Lock()
	defer livePathsMu.Unlock()
	for k := 0; ; k++ {
		p := "/proc/self/" + strings.Repeat("./", k) + "fd/" + strconv.Itoa(int(fd))
		if !livePaths[p] {
			livePaths[p] = true
			return p
		}
	}
}

func releasePath(p string) {
	livePathsMu.Lock()
	delete(livePaths, p)
	livePathsMu.Unlock()
}

// memfd creates a memory file holding img; cloexec false keeps it open across exec.
func memfd(name string, img []byte, cloexec bool) (uintptr, error) {
	p, err := syscall.BytePtrFromString(name)
	if err != nil {
		return 0, err
	}
	flags := uintptr(0)
	if cloexec {
		flags = 1 // MFD_CLOEXEC
	}
	fd, _, errno := syscall.Syscall(319 /* SYS_memfd_create */, uintptr(unsafe.Pointer(p)), flags, 0)
	if errno != 0 {
		return 0, fmt.Errorf("memfd_create: %v", errno)
	}
	for off := 0; off < len(img); {
		n, err := syscall.Write(int(fd), img[off:])
		if err != nil {
			syscall.Close(int(fd))
			return 0, err
		}
		off += n
	}
	return fd, nil
}

// memfdMapped creates a memory file of size bytes and maps it writable, for an image to be
// written in place; the caller unmaps it and loads the file (dlopenMemFD).
func memfdMapped(name string, size uint64) (uintptr, []byte, error) {
	fd, err := memfd(name, nil, true)
	if err != nil {
		return 0, nil, err
	}
	if err := syscall.Ftruncate(int(fd), int64(size)); err != nil {
		syscall.Close(int(fd))
		return 0, nil, fmt.Errorf("sizing memory file: %v", err)
	}
	m, err := syscall.Mmap(int(fd), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		syscall.Close(int(fd))
		return 0, nil, fmt.Errorf("mapping memory file: %v", err)
	}
	return fd, m, nil
}

// dlopenMemFD dlopens the image in memory file fd and closes fd.
func dlopenMemFD(fd uintptr, flags int) (*Library, error) {
	defer syscall.Close(int(fd))
	path := claimPath(fd)
	lib, err := dlopenFlags(path, flags)
	if err != nil {
		releasePath(path)
		return nil, err
	}
	lib.memPath = path
	return lib, nil
}

// loadMemImage writes img to a memfd named name and dlopens it with the given flags.
func loadMemImage(name string, img []byte, flags int) (*Library, error) {
	fd, err := memfd(name, img, true)
	if err != nil {
		return nil, err
	}
	return dlopenMemFD(fd, flags)
}
