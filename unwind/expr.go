package unwind

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Memory reads the unwound thread's memory.
type Memory interface {
	// ReadAt fills b from address addr, or fails.
	ReadAt(b []byte, addr uint64) error
}

func readU64(m Memory, addr uint64) (uint64, error) {
	var b [8]byte
	if err := m.ReadAt(b[:], addr); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

// evalExpr evaluates a DWARF expression as CFI uses them (location descriptions that are
// memory addresses or values): registers come from regs, memory from mem; if push is not
// nil its value starts on the stack (the CFA, for register rules).
func evalExpr(expr []byte, regs *Regs, mem Memory, push *uint64) (uint64, error) {
	var st []uint64
	if push != nil {
		st = append(st, *push)
	}
	pop := func() (uint64, error) {
		if len(st) == 0 {
			return 0, errors.New("stack underflow")
		}
		v := st[len(st)-1]
		st = st[:len(st)-1]
		return v, nil
	}
	reg := func(n uint64) (uint64, error) {
		if n >= NumRegs || !regs.Has(int(n)) {
			return 0, fmt.Errorf("register %d unknown", n)
		}
		return regs.R[n], nil
	}
	r := reader{b: expr}
	for steps := 0; r.off < len(r.b); steps++ {
		if steps > 10000 || len(st) > 1000 {
			return 0, errors.New("expression too long")
		}
		op := r.u8()
		switch {
		case op >= 0x30 && op <= 0x4f: // lit0..lit31
			st = append(st, uint64(op-0x30))
			continue
		case op >= 0x70 && op <= 0x8f: // breg0..breg31
			v, err := reg(uint64(op - 0x70))
			if err != nil {
				return 0, err
			}
			st = append(st, v+uint64(r.sleb()))
			continue
		case op >= 0x50 && op <= 0x6f: // reg0..reg31: the register's value (as CFI uses it)
			v, err := reg(uint64(op - 0x50))
			if err != nil {
				return 0, err
			}
			st = append(st, v)
			continue
		}
		switch op {
		case 0x03: // addr
			st = append(st, r.u64())
		case 0x06: // deref
			a, err := pop()
			if err != nil {
				return 0, err
			}
			v, err := readU64(mem, a)
			if err != nil {
				return 0, err
			}
			st = append(st, v)
		case 0x94: // deref_size
			n := int(r.u8())
			a, err := pop()
			if err != nil {
				return 0, err
			}
			if n < 1 || n > 8 {
				return 0, errors.New("bad deref_size")
			}
			var b [8]byte
			if err := mem.ReadAt(b[:n], a); err != nil {
				return 0, err
			}
			st = append(st, binary.LittleEndian.Uint64(b[:]))
		case 0x08:
			st = append(st, uint64(r.u8()))
		case 0x09:
			st = append(st, uint64(int64(int8(r.u8()))))
		case 0x0a:
			st = append(st, uint64(r.u16()))
		case 0x0b:
			st = append(st, uint64(int64(int16(r.u16()))))
		case 0x0c:
			st = append(st, uint64(r.u32()))
		case 0x0d:
			st = append(st, uint64(int64(int32(r.u32()))))
		case 0x0e, 0x0f:
			st = append(st, r.u64())
		case 0x10:
			st = append(st, r.uleb())
		case 0x11:
			st = append(st, uint64(r.sleb()))
		case 0x12: // dup
			if len(st) == 0 {
				return 0, errors.New("stack underflow")
			}
			st = append(st, st[len(st)-1])
		case 0x13: // drop
			if _, err := pop(); err != nil {
				return 0, err
			}
		case 0x14: // over
			if len(st) < 2 {
				return 0, errors.New("stack underflow")
			}
			st = append(st, st[len(st)-2])
		case 0x15: // pick
			i := int(r.u8())
			if i >= len(st) {
				return 0, errors.New("stack underflow")
			}
			st = append(st, st[len(st)-1-i])
		case 0x16: // swap
			if len(st) < 2 {
				return 0, errors.New("stack underflow")
			}
			st[len(st)-1], st[len(st)-2] = st[len(st)-2], st[len(st)-1]
		case 0x17: // rot
			if len(st) < 3 {
				return 0, errors.New("stack underflow")
			}
			n := len(st)
			st[n-1], st[n-2], st[n-3] = st[n-2], st[n-3], st[n-1]
		case 0x19: // abs
			v, err := pop()
			if err != nil {
				return 0, err
			}
			if int64(v) < 0 {
				v = -v
			}
			st = append(st, v)
		case 0x1f: // neg
			v, err := pop()
			if err != nil {
				return 0, err
			}
			st = append(st, -v)
		case 0x20: // not
			v, err := pop()
			if err != nil {
				return 0, err
			}
			st = append(st, ^v)
		case 0x23: // plus_uconst
			v, err := pop()
			if err != nil {
				return 0, err
			}
			st = append(st, v+r.uleb())
		case 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27,
			0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e: // binary operators
			b, err := pop()
			if err != nil {
				return 0, err
			}
			a, err := pop()
			if err != nil {
				return 0, err
			}
			var v uint64
			switch op {
			case 0x1a:
				v = a & b
			case 0x1b:
				if b == 0 {
					return 0, errors.New("division by zero")
				}
				v = uint64(int64(a) / int64(b))
			case 0x1c:
				v = a - b
			case 0x1d:
				if b == 0 {
					return 0, errors.New("division by zero")
				}
				v = a % b
			case 0x1e:
				v = a * b
			case 0x21:
				v = a | b
			case 0x22:
				v = a + b
			case 0x24:
				v = a << (b & 63)
			case 0x25:
				v = a >> (b & 63)
			case 0x26:
				v = uint64(int64(a) >> (b & 63))
			case 0x27:
				v = a ^ b
			case 0x29:
				v = b2u(a == b)
			case 0x2a:
				v = b2u(int64(a) >= int64(b))
			case 0x2b:
				v = b2u(int64(a) > int64(b))
			case 0x2c:
				v = b2u(int64(a) <= int64(b))
			case 0x2d:
				v = b2u(int64(a) < int64(b))
			case 0x2e:
				v = b2u(a != b)
			}
			st = append(st, v)
		case 0x2f: // skip
			n := int16(r.u16())
			r.off += int(n)
			if r.off < 0 || r.off > len(r.b) {
				return 0, errors.New("branch out of the expression")
			}
		case 0x28: // bra
			n := int16(r.u16())
			v, err := pop()
			if err != nil {
				return 0, err
			}
			if v != 0 {
				r.off += int(n)
				if r.off < 0 || r.off > len(r.b) {
					return 0, errors.New("branch out of the expression")
				}
			}
		case 0x90: // regx
			v, err := reg(r.uleb())
			if err != nil {
				return 0, err
			}
			st = append(st, v)
		case 0x92: // bregx
			n := r.uleb()
			v, err := reg(n)
			if err != nil {
				return 0, err
			}
			st = append(st, v+uint64(r.sleb()))
		case 0x96: // nop
		default:
			return 0, fmt.Errorf("DWARF operation %#x", op)
		}
		if r.err != nil {
			return 0, r.err
		}
	}
	if r.err != nil {
		return 0, r.err
	}
	return pop()
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
