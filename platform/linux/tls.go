package linux

/*
#include "glue.h"
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// TLSInfo returns a loaded library's TLS module id and, if its TLS is static, the offset of
// its block from the thread pointer (0 otherwise). ok is false if it has no TLS.
func (l *Library) TLSInfo() (modid uint64, tpoff int64, ok bool) {
	var id C.uintptr_t
	var off C.intptr_t
	if C.jitrun_tls_info(l.Handle, &id, &off) != 0 {
		return 0, 0, false
	}
	return uint64(id), int64(off), true
}

// StaticTLSError reports that glibc's static TLS surplus cannot hold a JIT'd TLS block.
type StaticTLSError struct{ Need uint64 }

func (e *StaticTLSError) Error() string {
	return fmt.Sprintf("thread-local storage: %d bytes of initial-exec/local-exec TLS do not fit in glibc's static TLS area", e.Need)
}

const tlsReexecEnv = "JITRUN_STATIC_TLS"

// RegisterTLS gives a JIT'd TLS block (init image followed by zero fill up to size) to the C
// library as a TLS module, so every thread, existing or future, gets its own initialised copy
// and __tls_get_addr works. It builds a small ELF object with a PT_TLS segment in memory and
// dlopens it. With static set, a R_X86_64_TPOFF64 relocation in the object makes glibc place
// the block in static TLS (a fixed offset from %fs on every thread), and the offset is
// returned. The object carries R_X86_64_DTPMOD64 to learn the module id.
func RegisterTLS(name string, init []byte, size, align uint64, static bool) (lib *Library, modid uint64, tpoff int64, err error) {
	img, words := buildTLSImage(name, init, size, align, static)
	lib, err = loadMemImage(name, img, rtldNow)
	if err != nil {
		if strings.Contains(err.Error(), "static TLS") {
			return nil, 0, 0, &StaticTLSError{Need: size + align}
		}
		return nil, 0, 0, fmt.Errorf("registering thread-local storage: %v", err)
	}
	modid = *(*uint64)(Ptr(lib.Base + words))
	tpoff = *(*int64)(Ptr(lib.Base + words + 8))
	return lib, modid, tpoff, nil
}

// ReexecForStaticTLS re-executes jitrun with glibc's optional static TLS surplus raised to
// hold need bytes (GLIBC_TUNABLES=glibc.rtld.optional_static_tls), once. It returns only if
// that is not possible (already tried, or too large), with the reason.
func ReexecForStaticTLS(need uint64) error {
	const limit = 4 << 20 // larger static TLS is carved out of every thread stack
	if os.Getenv(tlsReexecEnv) != "" || need > limit {
		return &StaticTLSError{Need: need}
	}
	size := uint64(64 << 10)
	for size < need*2 {
		size *= 2
	}
	tun := "glibc.rtld.optional_static_tls=" + strconv.FormatUint(size, 10)
	if old := os.Getenv("GLIBC_TUNABLES"); old != "" {
		tun = old + ":" + tun
	}
	env := append(os.Environ(), "GLIBC_TUNABLES="+tun, tlsReexecEnv+"=1")
	exe, err := os.Executable()
	if err != nil {
		return &StaticTLSError{Need: need}
	}
	err = syscall.Exec(exe, os.Args, env)
	return fmt.Errorf("re-executing for static TLS: %v", err)
}

// buildTLSImage lays out: ELF header, program headers (PT_LOAD, PT_DYNAMIC, PT_TLS,
// PT_GNU_STACK), two result words, the relocations, a one-entry symbol table, a hash table,
// the string table, .dynamic, then the TLS init image. It returns the image and the offset
// of the result words (module id, then thread-pointer offset).
func buildTLSImage(name string, init []byte, size, align uint64, static bool) ([]byte, uint64) {
	w := binary.LittleEndian
	const phnum = 4
	if align == 0 {
		align = 1
	}
	words := uint64(ehsize + phentsize*phnum)
	relOff := words + 16
	nrel := 1
	if static {
		nrel = 2
	}
	symOff := relOff + uint64(24*nrel)
	hashOff := symOff + 24
	strOff := hashOff + 16
	strtab := append([]byte{0}, name...)
	strtab = append(strtab, 0)
	dynOff := alignUp8(strOff + uint64(len(strtab)))
	dyn := [][2]uint64{{4, hashOff}, {5, strOff}, {6, symOff}, {10, uint64(len(strtab))}, {11, 24},
		{7, relOff}, {8, uint64(24 * nrel)}, {9, 24}, {14, 1}, {0, 0}}
	dynSize := uint64(16 * len(dyn))
	tlsOff := (dynOff + dynSize + align - 1) &^ (align - 1)
	total := tlsOff + uint64(len(init))
	b := newMemImage(total, phnum)
	ph := func(i int, typ, flags uint32, off, filesz, memsz, al uint64) {
		putPhdr(b, i, typ, flags, off, filesz, memsz, al)
	}
	ph(0, 1, 6, 0, total, total, 0x1000)                // PT_LOAD RW
	ph(1, 2, 6, dynOff, dynSize, dynSize, 8)            // PT_DYNAMIC
	ph(2, 7, 4, tlsOff, uint64(len(init)), size, align) // PT_TLS
	ph(3, 0x6474e551, 6, 0, 0, 0, 16)                   // PT_GNU_STACK
	// R_X86_64_DTPMOD64 (16) and R_X86_64_TPOFF64 (18) against symbol 0: this object's own
	// module id and, for static TLS, the negated block offset.
	w.PutUint64(b[relOff:], words)
	w.PutUint64(b[relOff+8:], 16)
	if static {
		w.PutUint64(b[relOff+24:], words+8)
		w.PutUint64(b[relOff+32:], 18)
	}
	w.PutUint32(b[hashOff:], 1) // nbucket
	w.PutUint32(b[hashOff+4:], 1)
	copy(b[strOff:], strtab)
	putDynamic(b, dynOff, dyn)
	copy(b[tlsOff:], init)
	return b, words
}
