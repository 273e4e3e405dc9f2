package linux

/*
#include "glue.h"
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// StaticTLSNeeds is what the process must have been started with for the JIT'd code's
// initial- and local-exec thread-local accesses: static TLS is laid out by glibc at start-up
// and cannot grow or be re-aligned afterwards.
type StaticTLSNeeds struct {
	Bytes   uint64   // static TLS the JIT'd blocks take
	Align   uint64   // largest alignment they need from the thread pointer
	Preload []string // shared libraries whose TLS JIT'd code reaches with initial exec
}

// staticTLS tracks the optional static TLS this process has and has used.
var staticTLS struct {
	mu   sync.Mutex
	used uint64
}

// defaultOptionalStaticTLS is glibc 2.36's rtld.optional_static_tls default: what dlopen'ed
// objects with static TLS may take.
const defaultOptionalStaticTLS = 512

// tcbAlign is the thread pointer's alignment when no start-up object asks for more.
const tcbAlign = 64

const reexecEnv = "JITRUN_REEXEC"

// reexecInfo is what a re-execution provided (read by the C start-up code, which also
// removes the variable from the environment before the Go runtime copies it).
func reexecInfo() (align, surplus uint64, reexeced bool) {
	var a, s C.ulong
	C.jitrun_reexec_info(&a, &s)
	return uint64(a), uint64(s), a != 0
}

// optionalStaticTLS is the optional static TLS glibc reserved at start-up.
func optionalStaticTLS() uint64 {
	if _, s, ok := reexecInfo(); ok && s > 1 {
		return s
	}
	for _, kv := range strings.Split(os.Getenv("GLIBC_TUNABLES"), ":") {
		if v, ok := strings.CutPrefix(kv, "glibc.rtld.optional_static_tls="); ok {
			if n, err := strconv.ParseUint(v, 0, 64); err == nil {
				return n
			}
		}
	}
	return defaultOptionalStaticTLS
}

// reexecAlign is the thread-pointer alignment the process started with.
func reexecAlign() uint64 {
	if a, _, ok := reexecInfo(); ok && a > tcbAlign {
		return a
	}
	return tcbAlign
}

// LoadedAtStartup reports whether a shared library is already in the process (then its TLS
// is static; a library dlopen'ed now would get dynamic TLS).
func LoadedAtStartup(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return false
	}
	for _, o := range LoadedObjects() {
		if r, err := filepath.EvalSymlinks(o.Name); err == nil && r == real {
			return true
		}
	}
	return false
}

// CheckStaticTLS reports whether this process can give the JIT'd code the static TLS it
// needs, reserving it if so.
func CheckStaticTLS(n StaticTLSNeeds) bool {
	staticTLS.mu.Lock()
	defer staticTLS.mu.Unlock()
	if len(n.Preload) > 0 || n.Align > reexecAlign() {
		return false
	}
	if staticTLS.used+n.Bytes > optionalStaticTLS() {
		return false
	}
	staticTLS.used += n.Bytes
	return true
}

// ReexecForStaticTLS starts jitrun again (same arguments) in a process that has the static
// TLS n needs: a larger optional surplus (GLIBC_TUNABLES), a preloaded module with the
// required alignment, and the preloaded libraries. The JIT'd program sees the environment it
// was given (the C start-up code restores it). It returns only on failure, or when a
// re-execution already happened, with the reason.
func ReexecForStaticTLS(n StaticTLSNeeds) error {
	const limit = 4 << 20 // static TLS is carved out of every thread's stack
	if _, _, again := reexecInfo(); again {
		return &StaticTLSError{Need: n.Bytes}
	}
	if n.Bytes > limit {
		return fmt.Errorf("thread-local storage: %d bytes of initial-exec/local-exec TLS is more than jitrun gives static TLS (%d); compile with -ftls-model=global-dynamic", n.Bytes, limit)
	}
	size := uint64(64 << 10)
	for size < 2*n.Bytes+4096 {
		size *= 2
	}
	env := os.Environ()
	set := func(k, v string) {
		for i, kv := range env {
			if strings.HasPrefix(kv, k+"=") {
				env[i] = k + "=" + v
				return
			}
		}
		env = append(env, k+"="+v)
	}
	orig := func(k string) string {
		if v, ok := os.LookupEnv(k); ok {
			return "=" + v
		}
		return "-"
	}
	set("JITRUN_ORIG_GLIBC_TUNABLES", orig("GLIBC_TUNABLES"))
	set("JITRUN_ORIG_LD_PRELOAD", orig("LD_PRELOAD"))
	tun := "glibc.rtld.optional_static_tls=" + strconv.FormatUint(size, 10)
	if old := os.Getenv("GLIBC_TUNABLES"); old != "" {
		tun = old + ":" + tun
	}
	set("GLIBC_TUNABLES", tun)
	preload := append([]string{}, n.Preload...)
	align := uint64(tcbAlign)
	if n.Align > tcbAlign {
		// A start-up object whose TLS has this alignment makes glibc align the thread
		// pointer (and so every static TLS block) to it. It is passed as an inherited memfd.
		img, _ := buildTLSImage("jitrun-tls-align", nil, n.Align, n.Align, false)
		fd, err := memfd("jitrun-tls-align", img, false)
		if err != nil {
			return err
		}
		preload = append(preload, fmt.Sprintf("/proc/self/fd/%d", fd))
		align = n.Align
	}
	if old := os.Getenv("LD_PRELOAD"); old != "" {
		preload = append(preload, old)
	}
	if len(preload) > 0 {
		set("LD_PRELOAD", strings.Join(preload, ":"))
	}
	set(reexecEnv, strconv.FormatUint(align, 10)+":"+strconv.FormatUint(size, 10))
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return fmt.Errorf("re-executing for static TLS: %v", syscall.Exec(exe, os.Args, env))
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

// TLSDescResolver is the address of the resolver for dynamic TLS descriptors.
func TLSDescResolver() uint64 { return uint64(C.jitrun_tlsdesc_resolver()) }

// ForgetTLSOffsets empties every thread's cache of resolved dynamic TLS offsets; called when a
// JIT'd TLS module is unloaded (its tls_index memory may be reused).
func ForgetTLSOffsets() { C.jitrun_tls_epoch_bump() }
