package linux

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// Export is a JIT'd definition made visible to precompiled shared libraries.
type Export struct {
	Name string
	Addr uint64
	Size uint64
	Func bool
}

// exportFiles keeps each generated object's memfd open for the life of the process: glibc
// matches loaded objects by path first, so a reused fd number would make a later dlopen
// silently return an older object.
var exportFiles []*os.File

// ExportSymbols makes JIT'd definitions visible to the dynamic loader, so that precompiled
// libraries loaded afterwards (extension modules, plugins) bind their undefined symbols to
// JIT'd code and data, and dlsym finds them. It builds a small ELF shared object in memory
// whose .dynsym lists the symbols as SHN_ABS with absolute addresses (glibc 2.28+ does not
// relocate those), and dlopens it RTLD_GLOBAL. soname names it in the loader's list.
func ExportSymbols(soname string, syms []Export) error {
	if len(syms) == 0 {
		return nil
	}
	img := buildExportImage(soname, syms)
	name, err := syscall.BytePtrFromString(soname)
	if err != nil {
		return err
	}
	fd, _, errno := syscall.Syscall(319 /* SYS_memfd_create */, uintptr(unsafe.Pointer(name)), 0, 0)
	if errno != 0 {
		return fmt.Errorf("exporting symbols: memfd_create: %v", errno)
	}
	f := os.NewFile(fd, soname)
	if _, err := f.Write(img); err != nil {
		f.Close()
		return fmt.Errorf("exporting symbols: %v", err)
	}
	if _, err := Dlopen(fmt.Sprintf("/proc/self/fd/%d", fd)); err != nil {
		f.Close()
		return fmt.Errorf("exporting symbols: %v", err)
	}
	exportFiles = append(exportFiles, f)
	return nil
}

// buildExportImage lays out: ELF header, program headers (PT_LOAD, PT_DYNAMIC,
// PT_GNU_STACK), .hash, .dynsym, .dynstr, .dynamic. Virtual addresses equal file offsets.
func buildExportImage(soname string, syms []Export) []byte {
	const (
		ehsize    = 64
		phentsize = 56
		phnum     = 3
	)
	var strtab []byte
	strtab = append(strtab, 0)
	addStr := func(s string) uint32 {
		off := uint32(len(strtab))
		strtab = append(strtab, s...)
		strtab = append(strtab, 0)
		return off
	}
	sonameOff := addStr(soname)
	nsym := len(syms) + 1
	nameOffs := make([]uint32, len(syms))
	for i, s := range syms {
		nameOffs[i] = addStr(s.Name)
	}
	// SysV hash table.
	nbucket := nsym/2 + 1
	buckets := make([]uint32, nbucket)
	chains := make([]uint32, nsym)
	for i, s := range syms {
		idx := uint32(i + 1)
		h := elfHash(s.Name) % uint32(nbucket)
		chains[idx] = buckets[h]
		buckets[h] = idx
	}
	hashOff := uint64(ehsize + phentsize*phnum)
	hashSize := uint64(8 + 4*nbucket + 4*nsym)
	symOff := alignUp8(hashOff + hashSize)
	symSize := uint64(24 * nsym)
	strOff := symOff + symSize
	dynOff := alignUp8(strOff + uint64(len(strtab)))
	dyn := [][2]uint64{{4, hashOff}, {5, strOff}, {6, symOff}, {10, uint64(len(strtab))}, {11, 24}, {14, uint64(sonameOff)}, {0, 0}}
	dynSize := uint64(16 * len(dyn))
	total := dynOff + dynSize

	b := make([]byte, total)
	w := binary.LittleEndian
	copy(b, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	w.PutUint16(b[16:], etDyn)
	w.PutUint16(b[18:], emX86_64)
	w.PutUint32(b[20:], 1)
	w.PutUint64(b[32:], ehsize) // e_phoff
	w.PutUint16(b[52:], ehsize)
	w.PutUint16(b[54:], phentsize)
	w.PutUint16(b[56:], phnum)
	w.PutUint16(b[58:], 64) // e_shentsize (no section headers)
	ph := func(i int, typ, flags uint32, off, size, align uint64) {
		p := b[ehsize+i*phentsize:]
		w.PutUint32(p, typ)
		w.PutUint32(p[4:], flags)
		w.PutUint64(p[8:], off)
		w.PutUint64(p[16:], off)
		w.PutUint64(p[24:], off)
		w.PutUint64(p[32:], size)
		w.PutUint64(p[40:], size)
		w.PutUint64(p[48:], align)
	}
	ph(0, 1, 6, 0, total, 0x1000)   // PT_LOAD, RW (the loader may touch .dynamic)
	ph(1, 2, 6, dynOff, dynSize, 8) // PT_DYNAMIC
	ph(2, 0x6474e551, 6, 0, 0, 16)  // PT_GNU_STACK: non-executable stacks
	w.PutUint32(b[hashOff:], uint32(nbucket))
	w.PutUint32(b[hashOff+4:], uint32(nsym))
	for i, v := range buckets {
		w.PutUint32(b[hashOff+8+uint64(i)*4:], v)
	}
	for i, v := range chains {
		w.PutUint32(b[hashOff+8+uint64(nbucket)*4+uint64(i)*4:], v)
	}
	for i, s := range syms {
		p := b[symOff+uint64(i+1)*24:]
		w.PutUint32(p, nameOffs[i])
		typ := byte(sttObject)
		if s.Func {
			typ = sttFunc
		}
		p[4] = stbGlobal<<4 | typ
		w.PutUint16(p[6:], shnAbs)
		w.PutUint64(p[8:], s.Addr)
		w.PutUint64(p[16:], s.Size)
	}
	copy(b[strOff:], strtab)
	for i, d := range dyn {
		w.PutUint64(b[dynOff+uint64(i)*16:], d[0])
		w.PutUint64(b[dynOff+uint64(i)*16+8:], d[1])
	}
	return b
}

func alignUp8(v uint64) uint64 { return (v + 7) &^ 7 }

// elfHash is the System V ABI symbol hash.
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}
