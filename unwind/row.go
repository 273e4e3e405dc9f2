package unwind

import (
	"errors"
	"fmt"
)

// ruleKind says how a register of the caller is recovered.
type ruleKind uint8

const (
	ruleUnspecified ruleKind = iota
	ruleUndefined
	ruleSame
	ruleOffset    // saved at CFA+off
	ruleValOffset // is CFA+off
	ruleRegister  // is in register reg
	ruleExpr      // saved at the address the expression computes (CFA pushed first)
	ruleValExpr   // is the value the expression computes (CFA pushed first)
)

type rule struct {
	kind ruleKind
	reg  uint64
	off  int64
	expr []byte
}

// Row is the unwinding rule set in effect at one address: how to compute the CFA (canonical
// frame address: the stack pointer before the call) and each register of the caller.
type Row struct {
	cfaReg  uint64
	cfaOff  int64
	cfaExpr []byte // non-nil: the CFA is this expression's value
	regs    [NumRegs]rule
}

var errBadCFI = errors.New("malformed call frame instructions")

// RowAt runs the CIE's and the FDE's instructions up to pc.
func (f *FDE) RowAt(pc uint64) (*Row, error) {
	var init Row
	if err := f.run(f.cie.insns, &init, nil, ^uint64(0), f.Start); err != nil {
		return nil, fmt.Errorf("CIE instructions: %v", err)
	}
	row := init
	if err := f.run(f.insns, &row, &init, pc, f.Start); err != nil {
		return nil, err
	}
	return &row, nil
}

// run executes instructions on row while the location is <= pc. init is the CIE's row
// (DW_CFA_restore), nil while running the CIE's own instructions.
func (f *FDE) run(insns []byte, row, init *Row, pc, loc uint64) error {
	r := reader{b: insns}
	c := f.cie
	var stack []Row
	set := func(reg uint64, ru rule) {
		if reg < NumRegs {
			row.regs[reg] = ru
		}
	}
	restore := func(reg uint64) {
		if reg < NumRegs {
			if init != nil {
				row.regs[reg] = init.regs[reg]
			} else {
				row.regs[reg] = rule{}
			}
		}
	}
	for r.off < len(r.b) {
		op := r.u8()
		var advance uint64
		switch op >> 6 {
		case 1: // DW_CFA_advance_loc
			advance = uint64(op&0x3f) * c.codeAlign
		case 2: // DW_CFA_offset
			set(uint64(op&0x3f), rule{kind: ruleOffset, off: int64(r.uleb()) * c.dataAlign})
		case 3: // DW_CFA_restore
			restore(uint64(op & 0x3f))
		default:
			switch op {
			case 0x00: // nop
			case 0x01: // set_loc
				v, err := readEncoded(&r, c.fdeEnc, &section{addr: f.sec.addr + uint64(f.insnOff), bias: f.sec.bias}, 0, c.addrSize)
				if err != nil {
					return err
				}
				if v < loc {
					return errBadCFI
				}
				if v > pc {
					return nil
				}
				loc = v
			case 0x02:
				advance = uint64(r.u8()) * c.codeAlign
			case 0x03:
				advance = uint64(r.u16()) * c.codeAlign
			case 0x04:
				advance = uint64(r.u32()) * c.codeAlign
			case 0x05: // offset_extended
				reg := r.uleb()
				set(reg, rule{kind: ruleOffset, off: int64(r.uleb()) * c.dataAlign})
			case 0x06: // restore_extended
				restore(r.uleb())
			case 0x07: // undefined
				set(r.uleb(), rule{kind: ruleUndefined})
			case 0x08: // same_value
				set(r.uleb(), rule{kind: ruleSame})
			case 0x09: // register
				reg := r.uleb()
				set(reg, rule{kind: ruleRegister, reg: r.uleb()})
			case 0x0a: // remember_state
				if len(stack) > 64 {
					return errBadCFI
				}
				stack = append(stack, *row)
			case 0x0b: // restore_state
				if len(stack) == 0 {
					return errBadCFI
				}
				// The CFA is not part of the remembered register state in practice either
				// way; DWARF says the whole row, which is what GCC and LLVM expect.
				*row = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			case 0x0c: // def_cfa
				row.cfaReg = r.uleb()
				row.cfaOff = int64(r.uleb())
				row.cfaExpr = nil
			case 0x0d: // def_cfa_register
				row.cfaReg = r.uleb()
				row.cfaExpr = nil
			case 0x0e: // def_cfa_offset
				row.cfaOff = int64(r.uleb())
			case 0x0f: // def_cfa_expression
				row.cfaExpr = r.block()
			case 0x10: // expression
				reg := r.uleb()
				set(reg, rule{kind: ruleExpr, expr: r.block()})
			case 0x11: // offset_extended_sf
				reg := r.uleb()
				set(reg, rule{kind: ruleOffset, off: r.sleb() * c.dataAlign})
			case 0x12: // def_cfa_sf
				row.cfaReg = r.uleb()
				row.cfaOff = r.sleb() * c.dataAlign
				row.cfaExpr = nil
			case 0x13: // def_cfa_offset_sf
				row.cfaOff = r.sleb() * c.dataAlign
			case 0x14: // val_offset
				reg := r.uleb()
				set(reg, rule{kind: ruleValOffset, off: int64(r.uleb()) * c.dataAlign})
			case 0x15: // val_offset_sf
				reg := r.uleb()
				set(reg, rule{kind: ruleValOffset, off: r.sleb() * c.dataAlign})
			case 0x16: // val_expression
				reg := r.uleb()
				set(reg, rule{kind: ruleValExpr, expr: r.block()})
			case 0x2e: // GNU_args_size
				r.uleb()
			case 0x2f: // GNU_negative_offset_extended
				reg := r.uleb()
				set(reg, rule{kind: ruleOffset, off: -int64(r.uleb()) * c.dataAlign})
			default:
				return fmt.Errorf("call frame instruction %#x", op)
			}
		}
		if r.err != nil {
			return errBadCFI
		}
		if advance != 0 {
			if loc+advance > pc {
				return nil
			}
			loc += advance
		}
	}
	return nil
}

// Regs is a register context: values by DWARF number, and which are known.
type Regs struct {
	R     [NumRegs]uint64
	Valid uint32
}

// Set sets a register's value and marks it known.
func (r *Regs) Set(reg int, v uint64) {
	r.R[reg] = v
	r.Valid |= 1 << reg
}

// Has reports whether a register is known.
func (r *Regs) Has(reg int) bool { return r.Valid&(1<<reg) != 0 }

// PC returns the instruction pointer, SP the stack pointer.
func (r *Regs) PC() uint64 { return r.R[RIP] }

// SP returns the stack pointer.
func (r *Regs) SP() uint64 { return r.R[RSP] }

// calleeSaved are the registers a call preserves (System V x86-64): without a rule, the
// caller's value is the callee's.
const calleeSaved = 1<<RBX | 1<<RBP | 1<<R12 | 1<<R13 | 1<<R14 | 1<<R15

// ErrOutermost means the frame has no caller (its return address is undefined: the thread's
// or process's first function).
var ErrOutermost = errors.New("outermost frame")

// Apply computes the caller's registers from the callee's with this row.
func (row *Row) Apply(regs *Regs, mem Memory) (Regs, error) {
	var cfa uint64
	if row.cfaExpr != nil {
		v, err := evalExpr(row.cfaExpr, regs, mem, nil)
		if err != nil {
			return Regs{}, fmt.Errorf("CFA expression: %v", err)
		}
		cfa = v
	} else {
		if row.cfaReg >= NumRegs || !regs.Has(int(row.cfaReg)) {
			return Regs{}, fmt.Errorf("CFA register %d unknown", row.cfaReg)
		}
		cfa = regs.R[row.cfaReg] + uint64(row.cfaOff)
	}
	var out Regs
	for reg := 0; reg < NumRegs; reg++ {
		ru := row.regs[reg]
		switch ru.kind {
		case ruleUnspecified:
			if calleeSaved&(1<<reg) != 0 && regs.Has(reg) {
				out.Set(reg, regs.R[reg])
			}
		case ruleUndefined:
		case ruleSame:
			if regs.Has(reg) {
				out.Set(reg, regs.R[reg])
			}
		case ruleOffset:
			v, err := readU64(mem, cfa+uint64(ru.off))
			if err != nil {
				if reg == RIP {
					return Regs{}, fmt.Errorf("return address at %#x: %v", cfa+uint64(ru.off), err)
				}
				continue
			}
			out.Set(reg, v)
		case ruleValOffset:
			out.Set(reg, cfa+uint64(ru.off))
		case ruleRegister:
			if ru.reg < NumRegs && regs.Has(int(ru.reg)) {
				out.Set(reg, regs.R[ru.reg])
			}
		case ruleExpr, ruleValExpr:
			v, err := evalExpr(ru.expr, regs, mem, &cfa)
			if err != nil {
				if reg == RIP {
					return Regs{}, fmt.Errorf("return address expression: %v", err)
				}
				continue
			}
			if ru.kind == ruleExpr {
				v, err = readU64(mem, v)
				if err != nil {
					continue
				}
			}
			out.Set(reg, v)
		}
	}
	if !out.Has(RSP) {
		out.Set(RSP, cfa)
	}
	if row.regs[RIP].kind == ruleUndefined {
		return out, ErrOutermost
	}
	if !out.Has(RIP) {
		return out, errors.New("return address unknown")
	}
	return out, nil
}

// CFA returns the canonical frame address this row computes for regs.
func (row *Row) CFA(regs *Regs, mem Memory) (uint64, error) {
	if row.cfaExpr != nil {
		return evalExpr(row.cfaExpr, regs, mem, nil)
	}
	if row.cfaReg >= NumRegs || !regs.Has(int(row.cfaReg)) {
		return 0, fmt.Errorf("CFA register %d unknown", row.cfaReg)
	}
	return regs.R[row.cfaReg] + uint64(row.cfaOff), nil
}
