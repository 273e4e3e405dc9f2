// Package linux holds everything jitrun knows about Linux: the ELF object and shared-library
// readers, the process glue (dlopen, mmap, calling into JIT'd code, copy-relocated host
// variables), and the placement of JIT'd memory within reach of 32-bit fixups.
package linux

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/jitrun/jitrun/jitlink"
)

// ELF constants used by the readers (names as in the ELF specification).
const (
	etRel = 1
	etDyn = 3

	emX86_64 = 62

	shtNull        = 0
	shtProgbits    = 1
	shtSymtab      = 2
	shtStrtab      = 3
	shtRela        = 4
	shtHash        = 5
	shtDynamic     = 6
	shtNote        = 7
	shtNobits      = 8
	shtRel         = 9
	shtDynsym      = 11
	shtInitArray   = 14
	shtFiniArray   = 15
	shtPreinit     = 16
	shtGroup       = 17
	shtSymtabShndx = 18
	shtX86Unwind   = 0x70000001
	shtGnuHash     = 0x6ffffff6
	shtGnuVerdef   = 0x6ffffffd
	shtGnuVersym   = 0x6fffffff

	shfWrite     = 0x1
	shfAlloc     = 0x2
	shfExec      = 0x4
	shfMerge     = 0x10
	shfStrings   = 0x20
	shfGroup     = 0x200
	shfTLS       = 0x400
	shfExclude   = 0x80000000
	grpComdat    = 1
	shnUndef     = 0
	shnLoreserve = 0xff00
	shnAbs       = 0xfff1
	shnCommon    = 0xfff2
	shnXindex    = 0xffff

	sttNotype  = 0
	sttObject  = 1
	sttFunc    = 2
	sttSection = 3
	sttFile    = 4
	sttCommon  = 5
	sttTLS     = 6
	sttGnuIfun = 10

	stbLocal  = 0
	stbGlobal = 1
	stbWeak   = 2
	stbUnique = 10
)

var le = binary.LittleEndian

// elfHeader is the part of the ELF header the readers need.
type elfHeader struct {
	typ, machine       uint16
	shoff              uint64
	shentsize, shnum   uint16
	shstrndx           uint16
	phoff              uint64
	phentsize, phnum   uint16
	class, data, osabi byte
}

// shdr is an ELF64 section header.
type shdr struct {
	name               uint32
	typ                uint32
	flags              uint64
	addr, off, size    uint64
	link, info         uint32
	addralign, entsize uint64
}

// FormatError is a malformed-input error naming the file.
type FormatError struct {
	File string
	Msg  string
}

func (e *FormatError) Error() string { return e.File + ": " + e.Msg }

func errf(file, format string, args ...any) error {
	return &FormatError{File: file, Msg: fmt.Sprintf(format, args...)}
}

// Magic tests.

// IsELF reports whether data starts with the ELF magic.
func IsELF(data []byte) bool {
	return len(data) >= 4 && data[0] == 0x7f && data[1] == 'E' && data[2] == 'L' && data[3] == 'F'
}

var machineNames = map[uint16]string{3: "i386", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V", 8: "MIPS", 21: "PowerPC64"}

// readHeader validates the ELF identification and header of an x86-64 ELF64 file.
func readHeader(file string, data []byte) (elfHeader, error) {
	var h elfHeader
	if len(data) == 0 {
		return h, errf(file, "file is empty")
	}
	if !IsELF(data) {
		return h, errf(file, "not an ELF file")
	}
	if len(data) < 64 {
		return h, errf(file, "truncated ELF header (%d bytes)", len(data))
	}
	h.class, h.data, h.osabi = data[4], data[5], data[7]
	if h.class != 2 {
		return h, errf(file, "not a 64-bit ELF file (class %d)", h.class)
	}
	if h.data != 1 {
		return h, errf(file, "not a little-endian ELF file")
	}
	h.typ = le.Uint16(data[16:])
	h.machine = le.Uint16(data[18:])
	if h.machine != emX86_64 {
		name := machineNames[h.machine]
		if name == "" {
			name = fmt.Sprintf("machine %d", h.machine)
		}
		return h, errf(file, "wrong architecture: %s object, this jitrun links x86-64", name)
	}
	h.phoff = le.Uint64(data[32:])
	h.shoff = le.Uint64(data[40:])
	h.phentsize = le.Uint16(data[54:])
	h.phnum = le.Uint16(data[56:])
	h.shentsize = le.Uint16(data[58:])
	h.shnum = le.Uint16(data[60:])
	h.shstrndx = le.Uint16(data[62:])
	return h, nil
}

// readSections reads and bounds-checks the section header table.
func readSections(file string, data []byte, h elfHeader) ([]shdr, error) {
	return readSectionsInto(nil, file, data, h)
}

// readSectionsInto is readSections storing the table in buf when it is large enough (the
// object reader reuses one per worker: a link reads thousands of tables).
func readSectionsInto(buf []shdr, file string, data []byte, h elfHeader) ([]shdr, error) {
	if h.shoff == 0 {
		return nil, nil
	}
	if h.shentsize != 64 {
		return nil, errf(file, "bad section header size %d", h.shentsize)
	}
	if h.shoff > uint64(len(data)) || uint64(len(data))-h.shoff < 64 {
		return nil, errf(file, "section header table at offset %#x is past the end of the file (%d bytes)", h.shoff, len(data))
	}
	n := uint64(h.shnum)
	if n == 0 { // more than SHN_LORESERVE sections: the count is in section 0's size
		n = le.Uint64(data[h.shoff+32:])
	}
	if n > (uint64(len(data))-h.shoff)/64 {
		return nil, errf(file, "section header table (%d entries at %#x) runs past the end of the file (%d bytes)", n, h.shoff, len(data))
	}
	secs := buf[:0]
	if uint64(cap(buf)) < n {
		secs = make([]shdr, n)
	} else {
		secs = buf[:n] // every field is set below
	}
	for i := range secs {
		b := data[h.shoff+uint64(i)*64:]
		s := &secs[i]
		s.name = le.Uint32(b)
		s.typ = le.Uint32(b[4:])
		s.flags = le.Uint64(b[8:])
		s.addr = le.Uint64(b[16:])
		s.off = le.Uint64(b[24:])
		s.size = le.Uint64(b[32:])
		s.link = le.Uint32(b[40:])
		s.info = le.Uint32(b[44:])
		s.addralign = le.Uint64(b[48:])
		s.entsize = le.Uint64(b[56:])
		if s.typ != shtNobits && s.typ != shtNull {
			if s.off > uint64(len(data)) || s.size > uint64(len(data))-s.off {
				return nil, errf(file, "section %d: contents (offset %#x, size %#x) run past the end of the file (%d bytes)", i, s.off, s.size, len(data))
			}
		}
	}
	return secs, nil
}

// sectionData returns the contents of a section (nil for NOBITS).
func sectionData(data []byte, s *shdr) []byte {
	if s.typ == shtNobits || s.typ == shtNull {
		return nil
	}
	return data[s.off : s.off+s.size]
}

// cstring reads a NUL-terminated string at off in tab. The string shares tab's memory
// (zero-copy): inputs are mapped read-only for the life of the process.
func cstring(tab []byte, off uint32) (string, bool) {
	if uint64(off) >= uint64(len(tab)) {
		return "", off == 0
	}
	rest := tab[off:]
	n := bytes.IndexByte(rest, 0)
	if n < 0 {
		return "", false
	}
	if n == 0 {
		return "", true
	}
	return unsafe.String(&rest[0], n), true
}

// symType maps an ELF symbol's st_info type to the graph's (NoType for those it has none of).
func symType(info byte) jitlink.SymType {
	switch info & 0xf {
	case sttObject, sttCommon:
		return jitlink.Object
	case sttFunc:
		return jitlink.Func
	case sttSection:
		return jitlink.SectionSym
	case sttFile:
		return jitlink.FileSym
	case sttTLS:
		return jitlink.TLS
	case sttGnuIfun:
		return jitlink.IFunc
	}
	return jitlink.NoType
}
