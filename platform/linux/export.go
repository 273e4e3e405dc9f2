package linux

import (
	"encoding/binary"
	"fmt"
)

// Export is a JIT'd definition made visible to precompiled shared libraries.
type Export struct {
	Name string
	Addr uint64
	Size uint64
	Func bool
}

// ExportSymbols makes JIT'd definitions visible to the dynamic loader, so that precompiled
// libraries loaded afterwards (extension modules, plugins) bind their undefined symbols to
// JIT'd code and data, and dlsym finds them. It builds a small ELF shared object in memory
// whose .dynsym lists the symbols as SHN_ABS with absolute addresses (glibc 2.28+ does not
// relocate those), and dlopens it RTLD_GLOBAL. soname names it in the loader's list.
func ExportSymbols(soname string, syms []Export) (*Library, error) {
	if len(syms) == 0 {
		return nil, nil
	}
	lib, err := loadMemImage(soname, buildExportImage(soname, syms), rtldNow|rtldGlobal)
	if err != nil {
		return nil, fmt.Errorf("exporting symbols: %v", err)
	}
	return lib, nil
}

// buildExportImage lays out: ELF header, program headers (PT_LOAD, PT_DYNAMIC,
// PT_GNU_STACK), .hash, .dynsym, .dynstr, .dynamic. Virtual addresses equal file offsets.
func buildExportImage(soname string, syms []Export) []byte {
	const phnum = 3
	size := 1 + len(soname) + 1
	for _, s := range syms {
		size += len(s.Name) + 1
	}
	strtab := make([]byte, 1, size) // sized once: a program can export 100,000s of names

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

	b := newMemImage(total, phnum)
	w := binary.LittleEndian
	putPhdr(b, 0, 1, 6, 0, total, total, 0x1000)     // PT_LOAD, RW (the loader may touch .dynamic)
	putPhdr(b, 1, 2, 6, dynOff, dynSize, dynSize, 8) // PT_DYNAMIC
	putPhdr(b, 2, 0x6474e551, 6, 0, 0, 0, 16)        // PT_GNU_STACK: non-executable stacks
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
	putDynamic(b, dynOff, dyn)
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
