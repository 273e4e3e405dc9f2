// Package archive owns reading Unix ar archives (static libraries): the
// GNU/SysV format written by GNU ar on Linux, including the GNU symbol index,
// the "//" long-name table and thin archives, with BSD "#1/NN" long names
// tolerated.
package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

const (
	regularMagic = "!<arch>\n"
	thinMagic    = "!<thin>\n"
	headerSize   = 60
)

// Archive is a parsed ar archive, regular or thin.
type Archive struct {
	Path     string   // as given to Open/Parse
	Thin     bool     // "!<thin>\n" archive: members live in external files
	Members  []Member // in archive order, excluding the symbol index and long-name table
	Symbols  []Symbol // from the GNU symbol index ("/" member, or "/SYM64/"); nil if the archive has no index
	HasIndex bool     // the archive has a GNU symbol index (possibly empty)

	mapping []byte // mmap'ed archive bytes owned by this Archive (from Open), or nil
}

// Member is one object file inside an archive.
type Member struct {
	Name   string // resolved name (long names resolved through the "//" table; trailing "/" stripped)
	Offset int64  // offset of the member header in the archive file (used in error messages, and as identity for the index)
	Data   []byte // contents: a slice of the archive's bytes (zero-copy), or for thin archives the contents of the external file
	Path   string // for thin archives: the external file path (resolved relative to the archive's directory); else ""
}

// Symbol is one entry of the archive symbol index.
type Symbol struct {
	Name   string // symbol name: a view of the archive's bytes, like Member.Data
	Member int    // index into Archive.Members of the member defining Name
}

// IsArchive reports whether data starts with the regular or thin ar magic.
func IsArchive(data []byte) bool {
	return bytes.HasPrefix(data, []byte(regularMagic)) || bytes.HasPrefix(data, []byte(thinMagic))
}

// readExternal reads a thin archive's member file; tests replace it.
var readExternal = readRegularFile

// readRegularFile reads path, refusing anything but a regular file so that a
// hostile thin archive cannot make us read a device or FIFO forever.
func readRegularFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	// System calls, not os.ReadFile: an os.File would start the Go runtime's poller, whose
	// descriptors a JIT'd program would then see.
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, fi.Size())
	for off := 0; off < len(buf); {
		n, err := syscall.Read(fd, buf[off:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf[:off], nil
		}
		off += n
	}
	return buf, nil
}

// Open maps the archive at path read-only and parses it. The member data of a
// regular archive aliases the mapping, which stays valid until Close.
func Open(path string) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return Parse(path, data)
	}
	size := fi.Size()
	if size == 0 {
		return nil, fmt.Errorf("%s: empty file, not an ar archive", path)
	}
	if size != int64(int(size)) || size < 0 {
		return nil, fmt.Errorf("%s: file too large to map (%d bytes)", path, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s: mmap: %w", path, err)
	}
	a, err := Parse(path, data)
	if err != nil {
		syscall.Munmap(data)
		return nil, err
	}
	a.mapping = data
	return a, nil
}

// Close unmaps an archive obtained from Open; Member.Data of a regular archive
// and the names in Symbols must not be used afterwards. It is a no-op for Parse
// results.
func (a *Archive) Close() error {
	if a.mapping == nil {
		return nil
	}
	m := a.mapping
	a.mapping = nil
	return syscall.Munmap(m)
}

// rawMember is a member header as found in the archive, before name resolution.
type rawMember struct {
	name   string // header name field, trailing spaces trimmed
	offset int64  // header offset
	size   int64  // size field
	data   []byte // stored data (nil for thin archive regular members)
}

// Parse parses the archive bytes data; path is used for error messages and to
// locate the member files of a thin archive. Member data and symbol names alias data.
func Parse(path string, data []byte) (*Archive, error) { return parse(path, data, nil) }

// ParseHeaders is Parse for data that is a mapping of the file r reads: the member
// headers are read through r, so that walking them does not fault in the mapping (the
// kernel maps 64 KiB around each fault: a walk brought whole archives in, to be dropped
// again; only the members a link pulls are read from data then).
func ParseHeaders(path string, data []byte, r io.ReaderAt) (*Archive, error) {
	return parse(path, data, r)
}

func parse(path string, data []byte, hr io.ReaderAt) (*Archive, error) {
	a := &Archive{Path: path}
	switch {
	case bytes.HasPrefix(data, []byte(regularMagic)):
	case bytes.HasPrefix(data, []byte(thinMagic)):
		a.Thin = true
	case len(data) == 0:
		return nil, fmt.Errorf("%s: empty file, not an ar archive", path)
	default:
		return nil, fmt.Errorf("%s: bad magic %q, not an ar archive", path, prefix(data, 8))
	}
	total := int64(len(data))

	var raws []rawMember
	var longNames *longTable // the "//" table, once seen
	var hb [headerSize]byte
	off := int64(len(regularMagic))
	for off < total {
		if total-off < headerSize {
			if allNewlines(data[off:]) {
				break // tolerate trailing padding
			}
			return nil, fmt.Errorf("%s: truncated member header at offset %d (%d bytes left, need %d)", path, off, total-off, headerSize)
		}
		h := data[off : off+headerSize]
		if hr != nil {
			if _, err := hr.ReadAt(hb[:], off); err != nil {
				return nil, fmt.Errorf("%s: reading the member header at offset %d: %v", path, off, err)
			}
			h = hb[:]
		}
		if h[0] == '\n' && allNewlines(data[off:]) {
			break // tolerate trailing padding
		}
		name := strings.TrimRight(string(h[0:16]), " ")
		shown := displayName(name, longNames)
		if h[58] != '`' || h[59] != '\n' {
			return nil, fmt.Errorf("%s: member %q at offset %d: bad header terminator %q", path, shown, off, h[58:60])
		}
		size, err := parseDecimal(h[48:58])
		if err != nil {
			return nil, fmt.Errorf("%s: member %q at offset %d: bad size field %q: %v", path, shown, off, strings.TrimRight(string(h[48:58]), " "), err)
		}
		start := off + headerSize
		r := rawMember{name: name, offset: off, size: size}
		stored := !a.Thin || isSpecialName(name)
		if stored {
			if size > total-start {
				return nil, fmt.Errorf("%s: member %q at offset %d: size %d runs past end of archive (%d bytes)", path, shown, off, size, total)
			}
			r.data = data[start : start+size]
			off = start + size
			if size%2 == 1 {
				off++ // members are 2-byte aligned; the last pad byte may be missing
			}
		} else {
			off = start
		}
		if name == "//" {
			if longNames != nil {
				return nil, fmt.Errorf("%s: member at offset %d: second long-name table", path, off)
			}
			longNames = newLongTable(r.data)
		}
		raws = append(raws, r)
	}

	byOffset := make(map[int64]int)
	var index *rawMember
	for i := range raws {
		r := &raws[i]
		switch {
		case r.name == "//":
			continue
		case r.name == "/" || r.name == "/SYM64/":
			if index != nil {
				return nil, fmt.Errorf("%s: member at offset %d: second symbol index", path, r.offset)
			}
			index = r
			continue
		case strings.HasPrefix(r.name, "__.SYMDEF"):
			continue // BSD symbol table: not an object, not used
		}
		m := Member{Offset: r.offset, Data: r.data}
		switch {
		case len(r.name) > 1 && r.name[0] == '/' && isDigits(r.name[1:]):
			n, err := strconv.ParseInt(r.name[1:], 10, 64)
			if err != nil || longNames == nil || n >= int64(len(longNames.data)) {
				return nil, fmt.Errorf("%s: member %q at offset %d: long name offset out of range of the long-name table (%d bytes)", path, r.name, r.offset, longNames.size())
			}
			name, ok := longNames.at(int(n))
			if !ok {
				return nil, fmt.Errorf("%s: member %q at offset %d: unterminated long name", path, r.name, r.offset)
			}
			m.Name = name
		case strings.HasPrefix(r.name, "#1/") && isDigits(r.name[3:]):
			n, err := strconv.ParseInt(r.name[3:], 10, 64)
			if err != nil || n > int64(len(r.data)) {
				return nil, fmt.Errorf("%s: member %q at offset %d: BSD long name length exceeds member size %d", path, r.name, r.offset, r.size)
			}
			m.Name = string(bytes.TrimRight(r.data[:n], "\x00"))
			m.Data = r.data[n:]
		default:
			m.Name = strings.TrimSuffix(r.name, "/")
		}
		if m.Name == "" {
			return nil, fmt.Errorf("%s: member at offset %d: empty name", path, r.offset)
		}
		if a.Thin {
			p := m.Name
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(path), p)
			}
			ext, err := readExternal(p)
			if err != nil {
				return nil, fmt.Errorf("%s: member %q at offset %d: %v", path, m.Name, r.offset, err)
			}
			if IsArchive(ext) {
				return nil, fmt.Errorf("%s: member %q at offset %d: nested archive %s is not supported", path, m.Name, r.offset, p)
			}
			m.Path = p
			m.Data = ext
		}
		byOffset[r.offset] = len(a.Members)
		a.Members = append(a.Members, m)
	}

	if index != nil {
		a.HasIndex = true
		syms, err := parseIndex(index.data, index.name == "/SYM64/", byOffset)
		if err != nil {
			return nil, fmt.Errorf("%s: symbol index %q at offset %d: %v", path, index.name, index.offset, err)
		}
		a.Symbols = syms
	}
	return a, nil
}

// parseIndex decodes a GNU symbol index body.
func parseIndex(d []byte, wide bool, byOffset map[int64]int) ([]Symbol, error) {
	w := uint64(4)
	if wide {
		w = 8
	}
	if uint64(len(d)) < w {
		return nil, fmt.Errorf("size %d too small for the symbol count", len(d))
	}
	var n uint64
	if wide {
		n = binary.BigEndian.Uint64(d)
	} else {
		n = uint64(binary.BigEndian.Uint32(d))
	}
	avail := (uint64(len(d)) - w) / w
	if n > avail {
		return nil, fmt.Errorf("symbol count %d needs %d offset bytes, only %d available", n, n*w, uint64(len(d))-w)
	}
	offs := d[w : w+n*w]
	strs := d[w+n*w:]
	syms := make([]Symbol, 0, n)
	for i := uint64(0); i < n; i++ {
		var o uint64
		if wide {
			o = binary.BigEndian.Uint64(offs[i*8:])
		} else {
			o = uint64(binary.BigEndian.Uint32(offs[i*4:]))
		}
		end := bytes.IndexByte(strs, 0)
		if end < 0 {
			return nil, fmt.Errorf("name table ends before symbol %d of %d", i, n)
		}
		name := ""
		if end > 0 {
			name = unsafe.String(&strs[0], end) // a view, as Member.Data is
		}
		strs = strs[end+1:]
		mi, ok := byOffset[int64(o)]
		if !ok {
			return nil, fmt.Errorf("symbol %q refers to offset %d, which is not a member header", name, o)
		}
		syms = append(syms, Symbol{Name: name, Member: mi})
	}
	return syms, nil
}

// longTable is the GNU "//" long-name table with its newline positions
// precomputed, so that resolving many names stays linear.
type longTable struct {
	data []byte
	nl   []int // offsets of '\n' in data, ascending
}

func newLongTable(data []byte) *longTable {
	t := &longTable{data: data}
	for i, c := range data {
		if c == '\n' {
			t.nl = append(t.nl, i)
		}
	}
	return t
}

func (t *longTable) size() int {
	if t == nil {
		return 0
	}
	return len(t.data)
}

// at returns the name starting at offset off, without its "/\n" terminator.
func (t *longTable) at(off int) (string, bool) {
	if t == nil || off < 0 || off >= len(t.data) {
		return "", false
	}
	i := sort.SearchInts(t.nl, off)
	if i == len(t.nl) {
		return "", false
	}
	return strings.TrimSuffix(string(t.data[off:t.nl[i]]), "/"), true
}

// displayName returns the best name for a member header in error messages:
// the long name if it can be resolved, else the raw header name.
func displayName(name string, longNames *longTable) string {
	if len(name) > 1 && name[0] == '/' && isDigits(name[1:]) {
		n, err := strconv.ParseInt(name[1:], 10, 64)
		if err == nil && n < int64(longNames.size()) {
			if s, ok := longNames.at(int(n)); ok && s != "" {
				return s
			}
		}
		return name
	}
	if isSpecialName(name) {
		return name
	}
	return strings.TrimSuffix(name, "/")
}

// isSpecialName reports whether a header name is the symbol index or long-name table.
func isSpecialName(name string) bool {
	return name == "/" || name == "//" || name == "/SYM64/"
}

// parseDecimal parses a space-padded decimal size field.
func parseDecimal(f []byte) (int64, error) {
	s := strings.TrimRight(string(f), " ")
	if s == "" {
		return 0, errors.New("empty")
	}
	if !isDigits(s) {
		return 0, errors.New("not a decimal number")
	}
	return strconv.ParseInt(s, 10, 64) // at most 10 digits: cannot overflow
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allNewlines(b []byte) bool {
	for _, c := range b {
		if c != '\n' {
			return false
		}
	}
	return true
}

func prefix(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
