package orcrt

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/platform/linux"
)

// Resolution pulls archive members in waves: a wave's members define the names the last wave
// left undefined, so the next wave is only known once this one is read. Read wave by wave,
// a core idles at every wave's end while the last members are parsed and the resolver takes
// them in (CPython: seven waves of 1, 22, 79, 66, 7, 1 and 1 members). The parser pool below
// reads ahead instead: as soon as a member is parsed, the members its undefined names point
// at in the archives' index are queued, so the cores go on from member to member without
// waiting for a wave to end. Measured: clang's parse and resolve 12 ms shorter for 42 ms
// more CPU (the index look-ups); CPython's no different (its waves were busy enough).
//
// Reading ahead only parses. What is linked, and in which order, is still the resolver's
// waves: a member read ahead that no wave asks for (its name was defined first by another
// input, or by a shared library before the archive) is dropped, and its parse errors are never
// reported, as ld never reads a member it does not pull.

// parseSlot is one input object (a command-line object or an archive member): parsed at most
// once, by whichever goroutine starts it first (a worker, or the resolver waiting for it).
type parseSlot struct {
	name    string
	data    []byte
	queued  atomic.Bool   // the slot is in a queue, or was
	started atomic.Bool   // a goroutine is parsing it, or has
	done    chan struct{} // closed once g and err are set
	g       *jitlink.Graph
	err     error
}

// parsePool parses objects on all cores, what the resolver needs now before what it will
// probably need next.
type parsePool struct {
	d       *Dylib
	members [][]atomic.Pointer[parseSlot] // per d.libs index, per member (nil until wanted)
	mu      sync.Mutex
	wake    *sync.Cond
	urgent  []*parseSlot // needed by the resolver now
	ahead   []*parseSlot // read ahead (FIFO: breadth first, like the waves)
	stopped bool
	wg      sync.WaitGroup
	// readAhead is false when an archive has no symbol index (its members are only found by
	// reading them); then only what the resolver asks for is parsed.
	readAhead bool
	parsed    atomic.Int32 // objects parsed, wanted or not (LinkStats.Parsed)
}

func newParsePool(d *Dylib) *parsePool {
	p := &parsePool{d: d, members: make([][]atomic.Pointer[parseSlot], len(d.libs)), readAhead: !d.unindexed}
	p.wake = sync.NewCond(&p.mu)
	for i, lib := range d.libs {
		if lib.ar != nil {
			p.members[i] = make([]atomic.Pointer[parseSlot], len(lib.ar.Members))
		}
	}
	for range runtime.GOMAXPROCS(0) {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

// member returns the slot of archive member m of d.libs[lib], made by whoever wants it first.
func (p *parsePool) member(lib, m int) *parseSlot {
	at := &p.members[lib][m]
	if s := at.Load(); s != nil {
		return s
	}
	ar := p.d.libs[lib].ar
	mb := ar.Members[m]
	s := &parseSlot{name: ar.Path + "(" + mb.Name + ")", data: mb.Data, done: make(chan struct{})}
	if at.CompareAndSwap(nil, s) {
		return s
	}
	return at.Load()
}

// drainReadAhead makes stop wait until the members queued to be read ahead are read (tests
// set it, to check what reading ahead does without depending on the workers' timing).
var drainReadAhead bool

// stop ends the workers once each has finished the object it is reading (they read the
// inputs' pages, which the session unmaps after the link).
func (p *parsePool) stop() {
	p.mu.Lock()
	for drainReadAhead && len(p.urgent)+len(p.ahead) > 0 {
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
		p.mu.Lock()
	}
	p.stopped = true
	p.urgent, p.ahead = nil, nil
	p.mu.Unlock()
	p.wake.Broadcast()
	p.wg.Wait()
}

func (p *parsePool) work() {
	defer p.wg.Done()
	var found []archMember
	for {
		p.mu.Lock()
		for !p.stopped && len(p.urgent) == 0 && len(p.ahead) == 0 {
			p.wake.Wait()
		}
		if p.stopped {
			p.mu.Unlock()
			return
		}
		var s *parseSlot
		if n := len(p.urgent); n > 0 {
			s, p.urgent = p.urgent[0], p.urgent[1:]
		} else {
			s, p.ahead = p.ahead[0], p.ahead[1:]
		}
		p.mu.Unlock()
		found = p.parse(s, found)
	}
}

// parse reads the slot's object unless another goroutine has started it, then queues the
// members its undefined names point at to be read ahead. found is scratch space, returned
// for reuse.
func (p *parsePool) parse(s *parseSlot, found []archMember) []archMember {
	if !s.started.CompareAndSwap(false, true) {
		return found
	}
	g, err := linux.ReadObject(s.name, s.data)
	p.parsed.Add(1)
	found = found[:0]
	if err == nil {
		bindLocals(g)
		if p.readAhead {
			found = p.next(g, found)
		}
	}
	s.g, s.err = g, err
	close(s.done)
	if len(found) > 0 {
		p.mu.Lock()
		for _, h := range found {
			if t := p.member(int(h.lib), int(h.member)); t.queued.CompareAndSwap(false, true) {
				p.ahead = append(p.ahead, t)
			}
		}
		p.mu.Unlock()
		p.wake.Broadcast()
	}
	return found
}

// next appends the archive members that define g's undefined names (the ones the resolver
// will look for in the archives) and are not taken yet (work takes them).
func (p *parsePool) next(g *jitlink.Graph, found []archMember) []archMember {
	idx := p.d.archIndex
	for _, s := range g.Symbols[min(g.FirstGlobal, len(g.Symbols)):] {
		if s == nil || s.Def != jitlink.Undefined || s.Binding == jitlink.Weak || s.Version() != "" {
			continue
		}
		if h, ok := idx.get(s.Name); ok {
			if t := p.members[h.lib][h.member].Load(); t == nil || !t.queued.Load() {
				found = append(found, h)
			}
		}
	}
	return found
}

// parseAndAdd has the pool parse slots (those not read ahead first) and hands each graph to
// add in the slots' order, as soon as it is ready: the first error ends the resolution.
//
// A slot no worker has started yet is parsed by the calling goroutine rather than waited for:
// the workers may all be busy with other slots, and a goroutine that blocks leaves its core
// idle, which took 35-50 µs to wake again here at the median and up to 5 ms (the host
// reschedules an idle virtual CPU), several times per resolution wave. Helping with any
// unstarted slot, not only the one needed next, was measured too: no better on CPython, and it
// delays add on clang when the needed graph becomes ready during the help.
func (p *parsePool) parseAndAdd(slots []*parseSlot, add func(*jitlink.Graph)) error {
	p.mu.Lock()
	queued := false
	for _, s := range slots {
		if s.queued.CompareAndSwap(false, true) {
			p.urgent = append(p.urgent, s)
			queued = true
		}
	}
	p.mu.Unlock()
	if queued {
		p.wake.Broadcast()
	}
	var found []archMember
	for _, s := range slots {
		if !s.started.Load() {
			found = p.parse(s, found)
		}
		<-s.done
		if s.err != nil {
			return s.err
		}
		add(s.g)
		s.g = nil // the resolver holds it now; the slot need not keep the graph alive
	}
	return nil
}

// objects returns slots for the dylib's command-line objects.
func (p *parsePool) objects() []*parseSlot {
	slots := make([]*parseSlot, len(p.d.objects))
	for i, o := range p.d.objects {
		slots[i] = &parseSlot{name: o.name, data: o.data, done: make(chan struct{})}
	}
	return slots
}
