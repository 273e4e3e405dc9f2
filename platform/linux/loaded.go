package linux

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"syscall"
)

// LoadedObject is an object the dynamic loader has mapped into the process.
type LoadedObject struct {
	Name                 string // path ("" for the executable)
	Base                 uint64
	RelroStart, RelroEnd uint64
}

// LoadedObjects lists the process's loaded objects in the loader's order.
func LoadedObjects() []LoadedObject {
	var buf [1024]C.struct_jitrun_obj
	n := int(C.jitrun_list_objects(&buf[0], C.int(len(buf))))
	out := make([]LoadedObject, 0, n)
	for _, o := range buf[:n] {
		out = append(out, LoadedObject{Name: C.GoString(o.name), Base: uint64(o.base),
			RelroStart: uint64(o.relro_start), RelroEnd: uint64(o.relro_end)})
	}
	return out
}

// symbolSlots are the places a shared library's dynamic relocations bind to a symbol
// (GLOB_DAT and R_X86_64_64 without addend), as offsets from its load base.
type symbolSlots []uint64

var (
	slotsMu    sync.Mutex
	slotsCache = map[string]symbolSlots{}
)

// readSymbolSlots reads a shared library's allocated RELA sections from its file.
func readSymbolSlots(path string) (symbolSlots, error) {
	slotsMu.Lock()
	defer slotsMu.Unlock()
	if r, ok := slotsCache[path]; ok {
		return r, nil
	}
	data, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	h, err := readHeader(path, data)
	if err != nil {
		return nil, err
	}
	shdrs, err := readSections(path, data, h)
	if err != nil {
		return nil, err
	}
	var slots symbolSlots
	for i := range shdrs {
		s := &shdrs[i]
		if s.typ != shtRela || s.flags&shfAlloc == 0 {
			continue
		}
		raw := sectionData(data, s)
		for k := 0; k+24 <= len(raw); k += 24 {
			off, info := le.Uint64(raw[k:]), le.Uint64(raw[k+8:])
			typ, sym := uint32(info), info>>32
			if (typ == 6 || typ == 1) && sym != 0 && le.Uint64(raw[k+16:]) == 0 {
				slots = append(slots, off)
			}
		}
	}
	slotsCache[path] = slots
	return slots, nil
}

// RedirectData completes a copy relocation: every slot of a loaded shared library that the
// dynamic loader bound to the variable at from (through any of its names: signgam and
// __signgam are one variable) is pointed at the copy at to, so the libraries and the JIT'd
// code share one variable, as ld.so arranges for a native executable's copy relocations.
// Slots in RELRO are made writable for the write and read-only again.
func RedirectData(from, to uint64) error {
	for _, o := range LoadedObjects() {
		if o.Name == "" || o.Name == "linux-vdso.so.1" {
			continue
		}
		slots, err := readSymbolSlots(o.Name)
		if err != nil {
			continue // not a file we can read (e.g. an object made in memory)
		}
		for _, off := range slots {
			slot := o.Base + off
			p := (*uint64)(Ptr(slot))
			if *p != from {
				continue
			}
			inRelro := slot >= o.RelroStart && slot < o.RelroEnd
			page := slot &^ pageMask
			if inRelro {
				if err := mprotect(page, 8+slot-page, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
					return fmt.Errorf("copy relocation: making %s writable: %w", o.Name, err)
				}
			}
			*p = to
			if inRelro {
				if err := mprotect(page, 8+slot-page, syscall.PROT_READ); err != nil {
					return fmt.Errorf("copy relocation: protecting %s: %w", o.Name, err)
				}
			}
		}
	}
	return nil
}

func mprotect(addr, size uint64, prot int) error {
	_, _, errno := syscall.Syscall(syscall.SYS_MPROTECT, uintptr(addr), uintptr((size+pageMask)&^pageMask), uintptr(prot))
	if errno != 0 {
		return errno
	}
	return nil
}
