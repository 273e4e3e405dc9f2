package linux

import (
	"encoding/binary"
	"fmt"
	"syscall"

	"github.com/jitrun/jitrun/jitlink"
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
// The image is written in parallel straight into the memory file the loader maps (clang
// exports 140,000 names: a 13 MB image).
func ExportSymbols(soname string, syms []Export) (*Library, error) {
	if len(syms) == 0 {
		return nil, nil
	}
	lay := layoutExport(soname, syms)
	fd, img, err := memfdMapped(soname, lay.total)
	if err != nil {
		return nil, fmt.Errorf("exporting symbols: %v", err)
	}
	writeExportImage(img, soname, syms, lay)
	syscall.Munmap(img)
	lib, err := dlopenMemFD(fd, rtldNow|rtldGlobal)
	if err != nil {
		return nil, fmt.Errorf("exporting symbols: %v", err)
	}
	return lib, nil
}

// exportLayout places the parts of an export image: ELF header, program headers (PT_LOAD,
// PT_DYNAMIC, PT_GNU_STACK), .hash, .dynsym, .dynstr, .dynamic. Virtual addresses equal
// file offsets.
type exportLayout struct {
	nameOffs                                 []uint32 // each symbol's name in .dynstr
	sonameOff, nbucket                       uint32
	hashOff, symOff, strOff, strSize, dynOff uint64
	total                                    uint64
}

func layoutExport(soname string, syms []Export) exportLayout {
	const phnum = 3
	var lay exportLayout
	lay.nameOffs = make([]uint32, len(syms))
	off := uint32(1)
	lay.sonameOff = off
	off += uint32(len(soname)) + 1
	for i, s := range syms {
		lay.nameOffs[i] = off
		off += uint32(len(s.Name)) + 1
	}
	lay.strSize = uint64(off)
	nsym := len(syms) + 1
	lay.nbucket = uint32(nsym/2 + 1)
	lay.hashOff = uint64(ehsize + phentsize*phnum)
	hashSize := uint64(8 + 4*uint64(lay.nbucket) + 4*uint64(nsym))
	lay.symOff = alignUp8(lay.hashOff + hashSize)
	lay.strOff = lay.symOff + uint64(24*nsym)
	lay.dynOff = alignUp8(lay.strOff + lay.strSize)
	lay.total = lay.dynOff + 16*exportDynEntries
	return lay
}

const exportDynEntries = 7

// writeExportImage writes the image into b (zeroed, lay.total bytes): names, hashes and
// symbols in parallel chunks, then the hash chains.
func writeExportImage(b []byte, soname string, syms []Export, lay exportLayout) {
	const phnum = 3
	initMemImage(b, phnum)
	w := binary.LittleEndian
	nsym := len(syms) + 1
	dynSize := uint64(16 * exportDynEntries)
	putPhdr(b, 0, 1, 6, 0, lay.total, lay.total, 0x1000) // PT_LOAD, RW (the loader may touch .dynamic)
	putPhdr(b, 1, 2, 6, lay.dynOff, dynSize, dynSize, 8) // PT_DYNAMIC
	putPhdr(b, 2, 0x6474e551, 6, 0, 0, 0, 16)            // PT_GNU_STACK: non-executable stacks
	str := b[lay.strOff : lay.strOff+lay.strSize]
	copy(str[lay.sonameOff:], soname)
	hashes := make([]uint32, len(syms))
	const chunk = 4096
	jitlink.Parallel((len(syms)+chunk-1)/chunk, func(c int) {
		lo, hi := c*chunk, min((c+1)*chunk, len(syms))
		for i := lo; i < hi; i++ {
			s := &syms[i]
			copy(str[lay.nameOffs[i]:], s.Name) // the terminator is the zeroed byte after it
			hashes[i] = elfHash(s.Name) % lay.nbucket
			p := b[lay.symOff+uint64(i+1)*24:]
			w.PutUint32(p, lay.nameOffs[i])
			typ := byte(sttObject)
			if s.Func {
				typ = sttFunc
			}
			p[4] = stbGlobal<<4 | typ
			w.PutUint16(p[6:], shnAbs)
			w.PutUint64(p[8:], s.Addr)
			w.PutUint64(p[16:], s.Size)
		}
	})
	// SysV hash table: bucket heads and chains, in symbol order (later symbols first in a
	// chain, as before).
	hb := b[lay.hashOff:]
	w.PutUint32(hb, lay.nbucket)
	w.PutUint32(hb[4:], uint32(nsym))
	buckets := hb[8 : 8+4*uint64(lay.nbucket)]
	chains := hb[8+4*uint64(lay.nbucket):]
	for i, h := range hashes {
		idx := uint32(i + 1)
		w.PutUint32(chains[4*idx:], w.Uint32(buckets[4*h:]))
		w.PutUint32(buckets[4*h:], idx)
	}
	putDynamic(b, lay.dynOff, [][2]uint64{{4, lay.hashOff}, {5, lay.strOff}, {6, lay.symOff}, {10, lay.strSize}, {11, 24}, {14, uint64(lay.sonameOff)}, {0, 0}})
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
