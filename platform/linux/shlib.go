package linux

import (
	"io"
	"os"
	"sync"
	"syscall"

	"github.com/jitrun/jitrun/jitlink"
)

// SharedLib is a read-only view of a precompiled ELF shared library's dynamic symbol table,
// used to resolve JIT'd references without asking the dynamic loader name by name.
type SharedLib struct {
	Path   string
	Soname string
	Needed []string

	dynsym, dynstr, versym []byte
	verNames               map[uint16]string // version index -> version name (from verdef)
	// GNU hash table.
	nbuckets, symoffset, bloomSize, bloomShift uint32
	bloom, buckets, chain                      []byte

	mapOnce sync.Once
	byName  map[string][]uint32 // fallback index when there is no usable GNU hash
}

// ExtSym is a symbol a shared library defines.
type ExtSym struct {
	Value uint64 // st_value: an offset from the library's load base
	Size  uint64
	Type  jitlink.SymType
	Weak  bool
	Abs   bool // SHN_ABS: Value is an absolute address, not relative to the load base
}

// mapFile maps a whole file read-only. The mapping stays for the life of the process (the
// graphs and names read from it are views).
//
// It uses system calls directly, not package os: an os.File would start the Go runtime's
// poller, whose descriptors would then be visible to (and, created late, take descriptor
// numbers from) the JIT'd program.
func mapFile(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, errf(path, "is a directory")
	}
	if st.Size == 0 {
		return []byte{}, nil
	}
	return syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ, syscall.MAP_PRIVATE)
}

// readSmallFile reads a file (such as /proc/self/maps) with system calls only (see mapFile).
func readSmallFile(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var out []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(fd, buf)
		if n > 0 {
			out = append(out, buf[:n]...)
		}
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return out, nil
		}
	}
}

// MapFile maps a file read-only for the life of the process.
func MapFile(path string) ([]byte, error) { return mapFile(path) }

// FileReader reads a file at offsets (pread), through system calls only (see mapFile).
type FileReader struct{ fd int }

// OpenFileReader opens path for ReadAt.
func OpenFileReader(path string) (*FileReader, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return &FileReader{fd}, nil
}

// ReadAt reads len(p) bytes at off (io.ReaderAt).
func (f *FileReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		k, err := syscall.Pread(f.fd, p[n:], off+int64(n))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if k == 0 {
			return n, io.EOF
		}
		n += k
	}
	return n, nil
}

// Close closes the file.
func (f *FileReader) Close() error { return syscall.Close(f.fd) }

// Same reports whether the open file has this size and modification time (ns): is the
// file a mapping was made of.
func (f *FileReader) Same(size, mtime int64) bool {
	var st syscall.Stat_t
	return syscall.Fstat(f.fd, &st) == nil && st.Size == size && st.Mtim.Nano() == mtime
}

// ReleasePages drops a mapped file's pages from the process's resident set (MADV_DONTNEED):
// the contents stay valid and are read again from the page cache when next touched. A link
// touches hundreds of megabytes of archive pages once (headers, symbol tables, the sections
// it copies); keeping them resident would count them in the process's memory.
func ReleasePages(data []byte) {
	if len(data) > 0 {
		syscall.Madvise(data, syscall.MADV_DONTNEED)
	}
}

// LoadFile returns the contents of an input file for linking: a relocatable ELF object is
// read into memory (the Go heap), anything else (archives, shared libraries, scripts) is
// mapped read-only as MapFile does. One mapping per object would make the process's memory
// mappings grow with the number of objects; archives, which can hold thousands of members
// of which a link uses a few, stay one mapping each.
// mapped reports which: a mapped file's pages can be released (ReleasePages) and are read
// again from the page cache when touched.
func LoadFile(path string) (data []byte, mapped bool, err error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, false, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		data, err := mapFile(path) // its errors (a directory, ...)
		return data, err == nil, err
	}
	if st.Size == 0 {
		return []byte{}, false, nil
	}
	var ident [18]byte
	if n, err := syscall.Pread(fd, ident[:], 0); err != nil || n < len(ident) || !IsELF(ident[:]) ||
		le.Uint16(ident[16:]) != etRel {
		data, err := syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ, syscall.MAP_PRIVATE)
		return data, err == nil, err
	}
	buf := make([]byte, st.Size)
	for off := 0; off < len(buf); {
		n, err := syscall.Pread(fd, buf[off:], int64(off))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf[:off], false, nil // the file shrank
		}
		off += n
	}
	return buf, false, nil
}

// ReadSharedLib parses the dynamic symbol table of a shared library image.
func ReadSharedLib(path string, data []byte) (*SharedLib, error) {
	h, err := readHeader(path, data)
	if err != nil {
		return nil, err
	}
	if h.typ != etDyn {
		return nil, errf(path, "not a shared library (ELF type %d)", h.typ)
	}
	shdrs, err := readSections(path, data, h)
	if err != nil {
		return nil, err
	}
	l := &SharedLib{Path: path}
	var verdef []byte
	var verdefStr []byte
	var dynamic []byte
	for i := range shdrs {
		s := &shdrs[i]
		switch s.typ {
		case shtDynsym:
			if s.entsize != 24 || s.link >= uint32(len(shdrs)) {
				return nil, errf(path, "bad dynamic symbol table")
			}
			l.dynsym = sectionData(data, s)
			l.dynstr = sectionData(data, &shdrs[s.link])
		case shtGnuHash:
			l.readGnuHash(sectionData(data, s))
		case shtGnuVersym:
			l.versym = sectionData(data, s)
		case shtGnuVerdef:
			verdef = sectionData(data, s)
			if s.link < uint32(len(shdrs)) {
				verdefStr = sectionData(data, &shdrs[s.link])
			}
		case shtDynamic:
			dynamic = sectionData(data, s)
		}
	}
	if l.dynsym == nil {
		return nil, errf(path, "shared library has no dynamic symbol table")
	}
	l.verNames = map[uint16]string{}
	for off := 0; off+20 <= len(verdef); {
		b := verdef[off:]
		ndx := le.Uint16(b[4:])
		aux, next := le.Uint32(b[12:]), le.Uint32(b[16:])
		if a := off + int(aux); aux != 0 && a+8 <= len(verdef) {
			if n, ok := cstring(verdefStr, le.Uint32(verdef[a:])); ok {
				l.verNames[ndx&0x7fff] = n
			}
		}
		if next == 0 {
			break
		}
		off += int(next)
	}
	for off := 0; off+16 <= len(dynamic); off += 16 {
		tag, val := le.Uint64(dynamic[off:]), le.Uint64(dynamic[off+8:])
		if tag == 0 {
			break
		}
		if val > 1<<32 {
			continue
		}
		switch tag {
		case 1: // DT_NEEDED
			if n, ok := cstring(l.dynstr, uint32(val)); ok {
				l.Needed = append(l.Needed, n)
			}
		case 14: // DT_SONAME
			l.Soname, _ = cstring(l.dynstr, uint32(val))
		}
	}
	return l, nil
}

func (l *SharedLib) readGnuHash(b []byte) {
	if len(b) < 16 {
		return
	}
	nb, so, bs, sh := le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:])
	need := 16 + uint64(bs)*8 + uint64(nb)*4
	if nb == 0 || bs == 0 || uint64(len(b)) < need {
		return
	}
	l.nbuckets, l.symoffset, l.bloomSize, l.bloomShift = nb, so, bs, sh
	l.bloom = b[16 : 16+uint64(bs)*8]
	l.buckets = b[16+uint64(bs)*8 : need]
	l.chain = b[need:]
}

func gnuHash(name string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(name); i++ {
		h = h*33 + uint32(name[i])
	}
	return h
}

// Lookup finds a defined global symbol by name. With version "" it returns the default
// version (what a static link binds an unversioned reference to); otherwise the named one.
func (l *SharedLib) Lookup(name, version string) (ExtSym, bool) {
	if l.nbuckets == 0 {
		l.mapOnce.Do(l.buildMap)
		for _, i := range l.byName[name] {
			if s, ok := l.match(i, name, version); ok {
				return s, true
			}
		}
		return ExtSym{}, false
	}
	h := gnuHash(name)
	word := le.Uint64(l.bloom[((h/64)%l.bloomSize)*8:])
	mask := uint64(1)<<(h%64) | uint64(1)<<((h>>l.bloomShift)%64)
	if word&mask != mask {
		return ExtSym{}, false
	}
	i := le.Uint32(l.buckets[(h%l.nbuckets)*4:])
	if i == 0 || i < l.symoffset {
		return ExtSym{}, false
	}
	for {
		ci := uint64(i-l.symoffset) * 4
		if ci+4 > uint64(len(l.chain)) {
			return ExtSym{}, false
		}
		h2 := le.Uint32(l.chain[ci:])
		if h|1 == h2|1 {
			if s, ok := l.match(i, name, version); ok {
				return s, true
			}
		}
		if h2&1 != 0 {
			return ExtSym{}, false
		}
		i++
	}
}

func (l *SharedLib) buildMap() {
	l.byName = map[string][]uint32{}
	for i := uint32(1); int(i+1)*24 <= len(l.dynsym); i++ {
		if n, ok := cstring(l.dynstr, le.Uint32(l.dynsym[i*24:])); ok && n != "" {
			l.byName[n] = append(l.byName[n], i)
		}
	}
}

// match checks dynamic symbol i against a name and version request.
func (l *SharedLib) match(i uint32, name, version string) (ExtSym, bool) {
	off := uint64(i) * 24
	if off+24 > uint64(len(l.dynsym)) {
		return ExtSym{}, false
	}
	b := l.dynsym[off:]
	n, ok := cstring(l.dynstr, le.Uint32(b))
	if !ok || n != name {
		return ExtSym{}, false
	}
	info, other, shndx := b[4], b[5], le.Uint16(b[6:])
	if shndx == shnUndef || info>>4 == stbLocal || other&3 == 2 || other&3 == 1 {
		return ExtSym{}, false
	}
	if l.versym != nil && uint64(i)*2+2 <= uint64(len(l.versym)) {
		v := le.Uint16(l.versym[i*2:])
		if version == "" {
			if v&0x8000 != 0 { // hidden: not the default version
				return ExtSym{}, false
			}
		} else if l.verNames[v&0x7fff] != version {
			return ExtSym{}, false
		}
	} else if version != "" {
		return ExtSym{}, false
	}
	s := ExtSym{Value: le.Uint64(b[8:]), Size: le.Uint64(b[16:]), Weak: info>>4 == stbWeak}
	s.Abs = shndx == shnAbs
	s.Type = symType(info)
	return s, true
}

// ReadDirNames lists a directory's entries with system calls only (see mapFile).
func ReadDirNames(dir string) ([]string, error) {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	var names []string
	buf := make([]byte, 16<<10)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}

// ReadFile reads a whole file with system calls only (see mapFile).
func ReadFile(path string) ([]byte, error) { return readSmallFile(path) }
