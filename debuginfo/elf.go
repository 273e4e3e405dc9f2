package debuginfo

import (
	"encoding/binary"
	"sort"

	"github.com/jitrun/jitrun/jitlink"
)

// ELF constants used here.
const (
	etRel  = 1
	etExec = 2

	shtProgbits = 1
	shtSymtab   = 2
	shtStrtab   = 3
	shtNote     = 7
	shtNobits   = 8

	shfWrite     = 1
	shfAlloc     = 2
	shfExecinstr = 4

	sttNotype = 0
	sttObject = 1
	sttFunc   = 2

	stbLocal  = 0
	stbGlobal = 1
	stbWeak   = 2

	ptLoad = 1
	ptNote = 4

	emX86_64 = 62
)

// Sym is one symbol of a link batch, at its final address.
type Sym struct {
	Name  string
	Addr  uint64
	Size  uint64
	Func  bool
	Local bool
	Weak  bool
}

// secHdr is one section of a generated file.
type secHdr struct {
	name      string
	typ       uint32
	flags     uint64
	addr      uint64
	size      uint64 // for NOBITS; otherwise len(data)
	data      []byte
	link      uint32
	info      uint32
	align     uint64
	entsize   uint64
	nameOff   uint32
	off       uint64
	perm      jitlink.Perm // loaded sections: the segment's permission
	symtabIdx int
}

// loadedSections returns a batch's memory as section headers: one per permission segment,
// the read-only one split around .eh_frame, which carries the relocated bytes (debuggers
// unwind JIT'd frames with it); everything else is NOBITS (the debugger reads the process).
func loadedSections(segs []jitlink.Segment, ehAddr uint64, eh []byte) []*secHdr {
	names := map[jitlink.Perm]string{jitlink.PermRX: ".text", jitlink.PermR: ".rodata",
		jitlink.PermRelro: ".data.rel.ro", jitlink.PermRW: ".data", jitlink.PermRWZero: ".bss"}
	var out []*secHdr
	add := func(name string, p jitlink.Perm, lo, hi uint64) {
		if hi <= lo {
			return
		}
		flags := uint64(shfAlloc)
		switch p {
		case jitlink.PermRX:
			flags |= shfExecinstr
		case jitlink.PermRelro, jitlink.PermRW, jitlink.PermRWZero:
			flags |= shfWrite
		}
		out = append(out, &secHdr{name: name, typ: shtNobits, flags: flags, addr: lo, size: hi - lo, align: 16, perm: p})
	}
	for _, s := range segs {
		if s.Size == 0 {
			continue
		}
		lo, hi := s.Addr, s.Addr+s.Size
		if ehAddr >= lo && ehAddr < hi && len(eh) > 0 {
			add(names[s.Perm], s.Perm, lo, ehAddr)
			out = append(out, &secHdr{name: ".eh_frame", typ: shtProgbits, flags: shfAlloc, addr: ehAddr,
				data: eh, size: uint64(len(eh)), align: 8, perm: s.Perm})
			add(names[s.Perm]+".1", s.Perm, ehAddr+uint64(len(eh)), hi)
			continue
		}
		add(names[s.Perm], s.Perm, lo, hi)
	}
	return out
}

// writeSymbols fills the symbol and string tables, locals first; in holds each symbol's
// index in im.loaded (-1: left out).
func (im *image) writeSymbols(symtab, strtab []byte, in []int32) {
	w := binary.LittleEndian
	at, str := 24, 1 // entry 0 and the empty name
	for pass := 0; pass < 2; pass++ {
		for k := range im.syms {
			s := &im.syms[k]
			if in[k] < 0 || s.Local != (pass == 0) {
				continue
			}
			sec := im.loaded[in[k]]
			e := symtab[at : at+24]
			at += 24
			w.PutUint32(e[0:], uint32(str))
			str += copy(strtab[str:], s.Name)
			strtab[str] = 0
			str++
			typ := byte(sttObject)
			if s.Func {
				typ = sttFunc
			}
			bind := byte(stbGlobal)
			switch {
			case s.Local:
				bind = stbLocal
			case s.Weak:
				bind = stbWeak
			}
			e[4] = bind<<4 | typ
			w.PutUint16(e[6:], uint16(1+in[k]))
			v := s.Addr
			if im.typ == etRel {
				v -= sec.addr
			}
			w.PutUint64(e[8:], v)
			w.PutUint64(e[16:], s.Size)
		}
	}
}

// buildIDNote is a .note.gnu.build-id body.
func buildIDNote(id []byte) []byte {
	b := make([]byte, 16+len(id))
	binary.LittleEndian.PutUint32(b[0:], 4)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(id)))
	binary.LittleEndian.PutUint32(b[8:], 3) // NT_GNU_BUILD_ID
	copy(b[12:], "GNU\x00")
	copy(b[16:], id)
	return b
}

// image describes a generated ELF file.
type image struct {
	typ     uint16 // etRel (in-memory object) or etExec (on-disk debug file)
	loaded  []*secHdr
	other   []*secHdr // non-alloc: DWARF
	buildID []byte
	syms    []Sym
	// alloc gives the zeroed buffer the image is written into (make when nil).
	alloc func(size int) []byte
}

// write lays the file out: ELF header, [program headers], section contents, section
// headers. Symbol values are section-relative in an ET_REL file, absolute otherwise.
func (im *image) write() []byte {
	secs := []*secHdr{{}} // index 0: SHN_UNDEF
	for _, s := range im.loaded {
		c := *s // headers are shared between images written concurrently
		secs = append(secs, &c)
	}

	noteFlags := uint64(0)
	note := &secHdr{name: ".note.gnu.build-id", typ: shtNote, flags: noteFlags, data: buildIDNote(im.buildID), align: 4}
	secs = append(secs, note)
	for _, s := range im.other {
		c := *s
		secs = append(secs, &c)
	}

	// Symbols: locals first, each in the loaded section that holds it. The sections are found
	// first, so that both tables are sized exactly and written straight into the image (a
	// CPython link has 30,000 symbols, clang's a million: copies of them are page faults).
	starts := make([]uint64, len(im.loaded))
	for i, s := range im.loaded {
		starts[i] = s.addr
	}
	in := make([]int32, len(im.syms)) // index in im.loaded, -1 when outside them all
	nsyms, nlocal, names := 0, 0, 1
	for k, s := range im.syms {
		i := sort.Search(len(starts), func(k int) bool { return starts[k] > s.Addr }) - 1
		if i < 0 || s.Addr >= im.loaded[i].addr+im.loaded[i].size {
			in[k] = -1
			continue
		}
		in[k] = int32(i)
		nsyms++
		if s.Local {
			nlocal++
		}
		names += len(s.Name) + 1
	}
	symIdx := len(secs)
	symSec := &secHdr{name: ".symtab", typ: shtSymtab, size: uint64(24 * (nsyms + 1)), link: uint32(symIdx + 1),
		info: uint32(1 + nlocal), align: 8, entsize: 24}
	strSec := &secHdr{name: ".strtab", typ: shtStrtab, size: uint64(names), align: 1}
	secs = append(secs, symSec, strSec)
	shstr := []byte{0}
	shstrIdx := len(secs)
	shs := &secHdr{name: ".shstrtab", typ: shtStrtab, align: 1}
	secs = append(secs, shs)
	for _, s := range secs[1:] {
		s.nameOff = uint32(len(shstr))
		shstr = append(shstr, s.name...)
		shstr = append(shstr, 0)
	}
	shs.data = shstr

	nph := 0
	if im.typ == etExec {
		nph = len(im.loaded)
	}
	off := uint64(64 + 56*nph)
	for _, s := range secs[1:] {
		a := s.align
		if a == 0 {
			a = 1
		}
		off = (off + a - 1) &^ (a - 1)
		s.off = off
		if s.typ != shtNobits {
			if s != symSec && s != strSec { // those two are sized above
				s.size = uint64(len(s.data))
			}
			off += s.size
		}
	}
	var phdrs [][7]uint64 // type|flags<<32, off, vaddr, filesz, memsz, align
	for i := 0; i < nph; i++ {
		s := secs[1+i]
		flags := uint64(4) // PF_R
		switch s.perm {
		case jitlink.PermRX:
			flags |= 1
		case jitlink.PermRelro, jitlink.PermRW, jitlink.PermRWZero:
			flags |= 2
		}
		var filesz uint64
		if s.typ != shtNobits {
			filesz = s.size
		}
		phdrs = append(phdrs, [7]uint64{ptLoad | flags<<32, s.off, s.addr, filesz, s.size, 16})
	}
	shoff := (off + 7) &^ 7
	total := shoff + 64*uint64(len(secs))
	var b []byte
	if im.alloc != nil {
		b = im.alloc(int(total))
	} else {
		b = make([]byte, total)
	}
	w := binary.LittleEndian
	copy(b, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	w.PutUint16(b[16:], im.typ)
	w.PutUint16(b[18:], emX86_64)
	w.PutUint32(b[20:], 1)
	if len(phdrs) > 0 {
		w.PutUint64(b[32:], 64)
	}
	w.PutUint64(b[40:], shoff)
	w.PutUint16(b[52:], 64)
	w.PutUint16(b[54:], 56)
	w.PutUint16(b[56:], uint16(len(phdrs)))
	w.PutUint16(b[58:], 64)
	w.PutUint16(b[60:], uint16(len(secs)))
	w.PutUint16(b[62:], uint16(shstrIdx))
	for i, p := range phdrs {
		o := b[64+56*i:]
		w.PutUint32(o[0:], uint32(p[0]))
		w.PutUint32(o[4:], uint32(p[0]>>32))
		w.PutUint64(o[8:], p[1])
		w.PutUint64(o[16:], p[2])
		w.PutUint64(o[24:], p[2])
		w.PutUint64(o[32:], p[3])
		w.PutUint64(o[40:], p[4])
		w.PutUint64(o[48:], p[5])
	}
	im.writeSymbols(b[symSec.off:symSec.off+symSec.size], b[strSec.off:strSec.off+strSec.size], in)
	for i, s := range secs {
		if i == 0 {
			continue
		}
		if s.typ != shtNobits && s.data != nil {
			copy(b[s.off:], s.data)
		}
		h := b[shoff+64*uint64(i):]
		w.PutUint32(h[0:], s.nameOff)
		w.PutUint32(h[4:], s.typ)
		w.PutUint64(h[8:], s.flags)
		w.PutUint64(h[16:], s.addr)
		w.PutUint64(h[24:], s.off)
		w.PutUint64(h[32:], s.size)
		w.PutUint32(h[40:], s.link)
		w.PutUint32(h[44:], s.info)
		w.PutUint64(h[48:], s.align)
		w.PutUint64(h[56:], s.entsize)
	}
	return b
}
