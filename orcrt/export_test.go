package orcrt

// LazyCode returns where the code of lazily linked function name is, once linked (0 before
// or if name is not a lazily linked function): tests compare it with the stub.
func LazyCode(d *Dylib, name string) uint64 {
	z := d.lazy
	if z == nil {
		return 0
	}
	d.s.dls.lock.Lock()
	defer d.s.dls.lock.Unlock()
	for fk, f := range z.funcs {
		if f.Name == name {
			if a := z.codeOf[fk].Load(); a != nil {
				return a.Addr
			}
		}
	}
	return 0
}

// DrainReadAhead makes each resolution wait for the members it queued to be read ahead.
func DrainReadAhead() { drainReadAhead = true }
