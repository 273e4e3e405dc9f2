package orcrt

// Lazy linking (Options.Lazy, jitrun --lazy).
//
// Resolution stays what it is: every object and archive member the program needs is parsed,
// its symbols resolved and bound up front, so undefined and duplicate symbols are reported
// before anything runs, exactly as without laziness. What is deferred is the expensive part
// of linking an object: copying its sections, scanning and applying its relocations.
//
// Which sections wait (lazyMode, per object): an object's sections split into those linked
// at start and the rest, linked on the first call of one of its functions. At start: data
// defining globals that won resolution (others bind to it, dlsym and the symbols exported to
// ld.so name it), sections reachable through __start_/__stop_, and everything those refer
// to other than by a function's address. An object with initializers or finalizers, TLS
// (or code using the program's TLS), main, or whose start-up part would hold code, is
// linked whole at start (batch 0): its .eh_frame, which must go with its code, describes
// all of it. So a C++ object whose vtables and typeinfo others use is "split": its data at
// start, its code on a first call; a C object of functions only is lazy whole. Batch 0 is
// then closed under references a stub cannot stand for (an offset into a function, see
// x86_64.AddressOnly): their targets' objects are linked whole at start.
//
// Each function a deferred object defines (and each local one its start-up data points to,
// such as a virtual function in an anonymous namespace) gets a lazy stub in one table
// allocated at start; the stub is the function's canonical address everywhere and for ever
// (data, code, dlsym, the symbols exported to ld.so), so function pointers compare equal
// however they were taken. Its slot first points at a path that pushes the function's index
// and enters the resolver trampoline (platform/linux/lazy.c), which saves the argument
// registers and extended state and calls lazyResolve. That links the object as a new link
// batch (materialize: its own memory, GOT and stubs, .eh_frame registration, debugger
// registration), stores the function's address into its slot with one atomic 8-byte store,
// and returns it; the trampoline jumps there. Concurrent first calls serialise on the
// session's loader lock (the one dlopen and dlsym take): one links, the others find the
// function linked when they get the lock.
//
// A later batch cannot reuse the per-link state (GOT/stub indices) earlier batches left on
// shared symbols, so each graph of a batch gets private symbols standing for what its
// references resolved to (proxy): functions and data already placed become absolute
// addresses, unlinked deferred functions their stubs, library symbols fresh external symbols
// (whose stub or copy, if this batch makes the first, becomes the canonical address). Direct
// calls to functions whose code is placed (in the batch or earlier) go straight to the code,
// not through the stub (a call cannot observe the difference): the function's proxy names
// its code (SymExtra.Code), which the edges lazyDirect accepts reach (Link.Direct).
//
// Speculation (Options.Speculate): after main starts, a goroutine links, in small batches,
// the deferred objects that already linked code calls, those called by code linked on a
// call first (newest first), so that their first calls find them linked. It never makes a
// program thread wait: it links copies of the objects' graphs without the loader lock and
// takes the lock only to publish a finished batch, which it drops if a first call linked
// one of its objects meanwhile (materialize).
//
// Only the program's dylib is linked lazily: a dlopen'ed dylib is linked whole, so that
// dlclose has one batch to undo.

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/jitrun/jitrun/debuginfo"
	"github.com/jitrun/jitrun/dlemu"
	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
	"github.com/jitrun/jitrun/platform/linux"
)

// lazyState is the lazy-linking state of the dylib (only the program's dylib is linked
// lazily: a dlopen'ed dylib is linked whole, so that dlclose has one batch to undo).
type lazyState struct {
	d    *Dylib
	base uint32 // process-wide index of funcs[0]

	graphs []*jitlink.Graph // deferred objects (lazy, or split: their code)
	split  []bool           // per deferred object: its data is in batch 0
	held   [][]bool         // per deferred object, by section index: held back from batch 0
	linked []atomic.Bool    // per lazy object: published (set under the loader lock)
	// Per lazy object: a first-call batch links (or linked) its graph in place, and how
	// many speculative batches are reading its graph now (see materialize).
	inPlace []atomic.Bool
	readers []atomic.Int32
	funcs   []*jitlink.Symbol // stubbed functions (the definitions that won)
	funcObj []int32           // per function: its object (index in graphs)
	funcOf  [][]int32         // per lazy object: its functions
	// Per function, once linked: an absolute symbol at its code (its address is what a
	// first call returns, and what later batches' direct calls reach: SymExtra.Code).
	codeOf   []atomic.Pointer[jitlink.Symbol]
	stubBase uint64
	slotBase uint64
	region   [2]uint64 // the stub table's allocation
	// The stub table's .eh_frame and .eh_frame_hdr.
	stubEH, stubEHHdr, stubEHHdrSize uint64
	// Program headers for dl_iterate_phdr (C memory): the stub table's, then each batch's.
	phdrs []lazyPhdrs

	batches []*jitlink.Link
	// Debugger registrations waiting for the background (registerDebug).
	debugMu      sync.Mutex
	debugQ       []func()
	debugRunning bool

	// Speculation queue: lazy objects referenced by linked code.
	qmu    sync.Mutex
	qcond  *sync.Cond
	hot    []int32 // referenced by objects linked on a call: taken first, newest first
	cold   []int32 // referenced by batch 0 or by speculative batches
	queued []bool
	failed map[int32]error // objects a speculative batch failed to link (their graphs are spent)

	stats LazyStats

	// specDelay stalls each speculative batch after it has read the graphs it links: a test
	// hook (JITRUN_TEST_SPECULATION_DELAY, a duration) showing that first calls do not wait
	// for speculation.
	specDelay time.Duration

	// When traced last read /proc/self/status, and what it said.
	tracedAt  time.Time
	tracedWas bool
}

// LazyStats describes what lazy linking did.
type LazyStats struct {
	Objects     int // objects the link resolved
	Eager       int // linked at start
	Candidates  int // objects whose code waits for a first call
	Split       int // of those, objects whose data is linked at start
	OnCall      int // linked on a first call
	Speculative int // linked by speculation
	Batches     int // link batches on first calls
	SpecBatches int // speculative link batches
	SpecDropped int // speculative batches dropped: a first call linked one of their objects first
	Stubs       int // lazy stubs
	Mappings    int // the process's memory mappings (at exit)
	OnCallTime  time.Duration
	// OnCallPhases splits OnCallTime by the steps of a batch (batchPhaseNames).
	OnCallPhases [numBatchPhases]time.Duration
	SpecTime     time.Duration
}

// Linked returns how many objects are linked now.
func (s LazyStats) Linked() int { return s.Eager + s.OnCall + s.Speculative }

// Write prints the statistics.
func (s LazyStats) Write(w interface{ Write([]byte) (int, error) }) {
	fmt.Fprintf(w, "jitrun: lazy: %d of %d objects linked (%d at start, %d on first call in %d batches, %d speculatively in %d batches); %d deferred (%d with data linked at start), %d stubs; %.2f ms linking on calls, %.2f ms speculating\n",
		s.Linked(), s.Objects, s.Eager, s.OnCall, s.Batches, s.Speculative, s.SpecBatches, s.Candidates, s.Split, s.Stubs,
		float64(s.OnCallTime.Microseconds())/1000, float64(s.SpecTime.Microseconds())/1000)
	if s.Batches > 0 {
		var b strings.Builder
		for i, d := range s.OnCallPhases {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %.2f", batchPhaseNames[i], float64(d.Microseconds())/1000)
		}
		fmt.Fprintf(w, "jitrun: lazy: first-call batches, ms: %s\n", b.String())
	}
	if s.SpecDropped > 0 {
		fmt.Fprintf(w, "jitrun: lazy: %d speculative batches dropped (a first call linked one of their objects first)\n", s.SpecDropped)
	}
	if s.Mappings > 0 {
		fmt.Fprintf(w, "jitrun: lazy: %d memory mappings at exit\n", s.Mappings)
	}
}

// The steps of a lazy batch, timed for LazyStats.OnCallPhases.
const (
	phaseClosure = iota // which objects the batch links (one pass over their edges)
	phaseGraphs         // graph copies, code symbols, proxies
	phaseScan           // jitlink Scan
	phaseLayout         // allocation, page faults, copying sections
	phaseFixups         // jitlink ApplyFixups
	phaseProtect        // mprotect
	phasePublish        // copies, .eh_frame and debugger registration, stub slots
	numBatchPhases
)

var batchPhaseNames = [numBatchPhases]string{"closure", "graphs", "scan", "layout", "fixups", "protect", "publish"}

// LazyStats returns the dylib's lazy-linking statistics so far (zero without laziness).
func (d *Dylib) LazyStats() LazyStats {
	z := d.lazy
	if z == nil {
		return LazyStats{}
	}
	d.s.dls.lock.Lock()
	defer d.s.dls.lock.Unlock()
	return z.stats
}

// The process-wide table of lazy stubs: a stub pushes base+i of its dylib's table.
var lazyReg struct {
	mu     sync.RWMutex
	tables []*lazyState
	next   uint32
	once   sync.Once
}

func registerLazy(z *lazyState, n int) error {
	lazyReg.once.Do(func() { linux.SetLazyResolver(lazyResolve) })
	lazyReg.mu.Lock()
	defer lazyReg.mu.Unlock()
	if uint64(lazyReg.next)+uint64(n) >= 1<<31 {
		return fmt.Errorf("too many lazily linked functions")
	}
	z.base = lazyReg.next
	lazyReg.next += uint32(n)
	lazyReg.tables = append(lazyReg.tables, z)
	return nil
}

// lazyResolve is the Go side of the resolver trampoline: it links the function of
// process-wide lazy index idx (if another thread has not already) and returns its address.
func lazyResolve(idx uint64) uint64 {
	lazyReg.mu.RLock()
	var z *lazyState
	for _, t := range lazyReg.tables {
		if uint64(t.base) <= idx && idx < uint64(t.base)+uint64(len(t.funcs)) {
			z = t
			break
		}
	}
	lazyReg.mu.RUnlock()
	if z == nil {
		fmt.Fprintf(os.Stderr, "jitrun: lazy stub %d called, but no such function\n", idx)
		os.Exit(127)
	}
	k := int32(idx - uint64(z.base))
	if a := z.codeOf[k].Load(); a != nil {
		return a.Addr // another thread linked it while this one was on its way here
	}
	lk := &z.d.s.dls.lock
	lk.Lock()
	defer lk.Unlock()
	if a := z.codeOf[k].Load(); a != nil {
		return a.Addr
	}
	f := z.funcs[k]
	gi := z.funcObj[k]
	if err := z.failed[gi]; err != nil {
		fmt.Fprintf(os.Stderr, "jitrun: linking %s (first call of `%s'): %v\n", f.Graph.Name, f.Name, err)
		os.Exit(127)
	}
	start := time.Now()
	// Only the object called: linking its callees too in the same batch (fewer batches)
	// measured slower on clang, more objects linked than called.
	n, err := z.materialize([]int32{gi}, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "jitrun: linking %s (first call of `%s'): %v\n", f.Graph.Name, f.Name, err)
		os.Exit(127)
	}
	z.stats.OnCall += n
	z.stats.Batches++
	z.stats.OnCallTime += time.Since(start)
	return z.codeOf[k].Load().Addr
}

// Object modes under laziness.
const (
	modeEager = iota // linked at start
	modeSplit        // data at start (it defines data others use), code on first call
	modeLazy         // linked whole on first call
)

// lazyMode decides how an object is linked (see the comment at the top). Its sections split
// into those linked at start (B: data defining globals that won, sections reachable through
// __start_/__stop_, and what those refer to other than by a function's address) and the rest
// (D), linked on the first call of one of its functions. An object whose B would hold code
// is linked whole at start (its .eh_frame, which must go with its code, describes all of
// it); one with an empty B is linked lazily whole; else it is split. localStubs lists local
// functions B refers to (a virtual function in an anonymous namespace): their stubs stand
// for them. why says what makes an object eager.
func (d *Dylib) lazyMode(g *jitlink.Graph) (mode int, held []bool, localStubs []int32, why string) {
	// Sections are indexed by their place in the object (Section.Index).
	inB := make([]bool, len(g.Sections))
	nB := 0
	var work []*jitlink.Section
	toB := func(sec *jitlink.Section) {
		if !inB[sec.Index] {
			inB[sec.Index] = true
			nB++
			work = append(work, sec)
		}
	}
	for _, sec := range g.Sections {
		if !liveSection(sec) {
			continue
		}
		switch sec.Kind {
		case jitlink.KindInitArray, jitlink.KindFiniArray, jitlink.KindPreinitArray, jitlink.KindCtors,
			jitlink.KindDtors, jitlink.KindInitCode, jitlink.KindFiniCode:
			return modeEager, nil, nil, "has " + sec.Name
		case jitlink.KindCode, jitlink.KindEHFrame:
			if jitlink.IsCIdent(sec.Name) {
				return modeEager, nil, nil, "has code section " + sec.Name
			}
			continue
		}
		if jitlink.IsCIdent(sec.Name) {
			toB(sec) // __start_/__stop_ bounds span every object's sections of that name
		}
	}
	for _, sec := range g.Sections {
		if sec != nil && !sec.Discard && (sec.Kind == jitlink.KindTLSData || sec.Kind == jitlink.KindTLSZeroFill) {
			return modeEager, nil, nil, "has " + sec.Name
		}
	}
	for i := g.FirstGlobal; i < len(g.Symbols); i++ {
		s := g.Symbols[i]
		if s == nil || s.Binding == jitlink.Local {
			continue
		}
		if s.Res == s {
			if s.Name == "main" {
				return modeEager, nil, nil, "defines main"
			}
			if s.Def != jitlink.Defined || s.Section.Kind == jitlink.KindNonAlloc {
				continue // absolute values; commons are allocated at start anyway
			}
			if s.Section.Kind == jitlink.KindCode {
				if s.Type != jitlink.Func {
					return modeEager, nil, nil, "defines non-function " + s.Name + " in code"
				}
				continue
			}
			toB(s.Section) // data others may use: linked at start
			continue
		}
		if r := s.Res; r != nil && r.Type == jitlink.TLS && r.Def != jitlink.External {
			// The program's TLS: batch 0 fixes its access model (static or not).
			return modeEager, nil, nil, "uses thread-local " + r.Name
		}
	}
	// What B refers to joins it, except functions referred to by address.
	var eb [128]jitlink.Edge // edges are decoded a block at a time (jitlink.Section.EdgeBlock)
	seen := map[int32]bool{}
	for len(work) > 0 {
		sec := work[len(work)-1]
		work = work[:len(work)-1]
		for ei, ne := 0, sec.NumEdges(); ei < ne; {
			blk := sec.EdgeBlock(ei, eb[:])
			ei += len(blk)
			for bi := range blk {
				e := &blk[bi]
				t := g.Symbols[e.Target]
				r := t.Res
				if r == nil || r.Graph != g || r.Def != jitlink.Defined || !liveSection(r.Section) {
					continue
				}
				if r.Section.Kind == jitlink.KindCode {
					if r.Type != jitlink.Func || !x86_64.AddressOnly(e.Kind, e.Addend) {
						return modeEager, nil, nil, fmt.Sprintf("data (%s) refers to code (%s%+d)", sec.Name, r.Name, e.Addend)
					}
					if (r.Binding == jitlink.Local || r.Res != r) && !seen[int32(e.Target)] {
						seen[int32(e.Target)] = true
						localStubs = append(localStubs, int32(e.Target))
					}
					continue
				}
				toB(r.Section)
			}
		}
	}
	held = make([]bool, len(g.Sections))
	for _, sec := range g.Sections {
		if liveSection(sec) && !inB[sec.Index] {
			held[sec.Index] = true
		}
	}
	entries := len(localStubs)
	for i := g.FirstGlobal; i < len(g.Symbols); i++ {
		if s := g.Symbols[i]; s != nil && s.Binding != jitlink.Local && s.Res == s && s.Def == jitlink.Defined && held[s.Section.Index] {
			entries++
		}
	}
	if entries == 0 {
		// No function to call: what is held back could never be linked (nor reached).
		return modeEager, nil, nil, "no function to defer"
	}
	if nB == 0 {
		return modeLazy, held, nil, ""
	}
	return modeSplit, held, localStubs, ""
}

func liveSection(s *jitlink.Section) bool {
	return s != nil && !s.Discard && s.Kind != jitlink.KindNonAlloc
}

// lazySplit decides which objects (or which objects' code) wait for their first call, and
// leaves the rest in the link (batch 0): of a split object, batch 0 links a view without its
// code (startView). It runs after bind, before Scan; lazyPlaceStubs gives the functions
// their stubs after Layout.
func (d *Dylib) lazySplit() error {
	l := d.link
	z := &lazyState{d: d}
	graphIdx := map[*jitlink.Graph]int32{}
	n := len(d.graphs)
	mode := make([]int, n)
	locals := make([][]int32, n)
	whys := make([]string, n)
	held := make([][]bool, n)
	jitlink.Parallel(n, func(i int) { mode[i], held[i], locals[i], whys[i] = d.lazyMode(d.graphs[i]) })
	if os.Getenv("JITRUN_LAZY_WHY") != "" { // why each eager object is (for tuning)
		for i, g := range d.graphs {
			if mode[i] == modeEager {
				fmt.Fprintf(os.Stderr, "jitrun: lazy: %s linked at start: %s\n", g.Name, whys[i])
			}
		}
	}
	// Until layout, a section's address is unused: code sections carry their object's
	// index+1 there while the closure below runs (no map look-up per edge), then 0 again.
	jitlink.Parallel(n, func(i int) {
		for _, sec := range d.graphs[i].Sections {
			if sec != nil && sec.Kind == jitlink.KindCode {
				sec.Addr = uint64(i) + 1
			}
		}
	})
	defer jitlink.Parallel(n, func(i int) {
		for _, sec := range d.graphs[i].Sections {
			if sec != nil && sec.Kind == jitlink.KindCode {
				sec.Addr = 0
			}
		}
	})
	// Batch 0 is closed under references a stub cannot stand for: follow them from what is
	// linked at start (eager objects, split objects' data).
	var front []int
	for i := range d.graphs {
		if mode[i] != modeLazy {
			front = append(front, i)
		}
	}
	refd := make([]bool, n) // deferred code batch-0 code calls (speculation starts there)
	spec := d.s.opts.Speculate
	var mu sync.Mutex
	for len(front) > 0 {
		var next []int
		jitlink.Parallel(len(front), func(k int) {
			i := front[k]
			g := d.graphs[i]
			mu.Lock()
			m := mode[i]
			mu.Unlock()
			var pull, ref []int
			var eb [128]jitlink.Edge
			for _, sec := range g.Sections {
				if !liveSection(sec) || m == modeSplit && held[i][sec.Index] {
					continue
				}
				for ei, ne := 0, sec.NumEdges(); ei < ne; {
					blk := sec.EdgeBlock(ei, eb[:])
					ei += len(blk)
					for bi := range blk {
						e := &blk[bi]
						if x86_64.AddressOnly(e.Kind, e.Addend) && (!spec || !x86_64.IsCall(e.Kind)) {
							continue // most edges: decided without reading the target
						}
						t := g.Symbols[e.Target].Res
						if t == nil || t.Def != jitlink.Defined || t.Graph == g || t.Section.Kind != jitlink.KindCode {
							continue
						}
						j := int(t.Section.Addr) - 1
						if j < 0 || d.graphs[j] != t.Graph {
							continue
						}
						if x86_64.AddressOnly(e.Kind, e.Addend) {
							if x86_64.IsCall(e.Kind) {
								ref = append(ref, j) // a direct call: likely to happen
							}
						} else {
							pull = append(pull, j)
						}
					}
				}
			}
			mu.Lock()
			for _, j := range pull {
				if mode[j] != modeEager {
					if mode[j] == modeSplit {
						whys[j] = "code referred to by offset"
					}
					mode[j] = modeEager
					next = append(next, j)
				}
			}
			for _, j := range ref {
				refd[j] = true
			}
			mu.Unlock()
		})
		front = next
	}
	views := make([]*jitlink.Graph, n) // what batch 0 links of split objects
	jitlink.Parallel(n, func(i int) {
		if mode[i] == modeSplit {
			views[i] = startView(d.graphs[i], held[i])
		}
	})
	var batch0 []*jitlink.Graph
	for i, g := range d.graphs {
		if mode[i] == modeEager {
			batch0 = append(batch0, g)
			continue
		}
		if mode[i] == modeSplit {
			batch0 = append(batch0, views[i])
		}
		k := int32(len(z.graphs))
		z.graphs = append(z.graphs, g)
		z.split = append(z.split, mode[i] == modeSplit)
		z.held = append(z.held, held[i])
		graphIdx[g] = k
		var fs []int32
		add := func(s *jitlink.Symbol) {
			fs = append(fs, int32(len(z.funcs)))
			z.funcs = append(z.funcs, s)
			z.funcObj = append(z.funcObj, k)
		}
		// Each function once: a global definition is its object's alone, and the local
		// functions its start-up data points to are its own locals, each listed once.
		for j := g.FirstGlobal; j < len(g.Symbols); j++ {
			s := g.Symbols[j]
			if s == nil || s.Binding == jitlink.Local || s.Res != s || s.Def != jitlink.Defined || s.Section.Kind != jitlink.KindCode {
				continue
			}
			add(s)
		}
		for _, j := range locals[i] {
			add(g.Symbols[j].Res)
		}
		z.funcOf = append(z.funcOf, fs)
	}
	z.linked = make([]atomic.Bool, len(z.graphs))
	z.inPlace = make([]atomic.Bool, len(z.graphs))
	z.readers = make([]atomic.Int32, len(z.graphs))
	z.queued = make([]bool, len(z.graphs))
	z.codeOf = make([]atomic.Pointer[jitlink.Symbol], len(z.funcs))
	for i, g := range d.graphs {
		if mode[i] != modeEager && refd[i] {
			k := graphIdx[g]
			z.queued[k] = true
			z.cold = append(z.cold, k)
		}
	}
	nsplit := 0
	for _, s := range z.split {
		if s {
			nsplit++
		}
	}
	z.stats.Objects, z.stats.Eager, z.stats.Candidates, z.stats.Split, z.stats.Stubs = n, n-len(z.graphs), len(z.graphs), nsplit, len(z.funcs)
	l.Graphs = batch0
	d.lazy = z
	if len(z.funcs) == 0 {
		return nil
	}
	return registerLazy(z, len(z.funcs))
}

// startView is what batch 0 links of a split object: a graph with the sections linked at
// start (not its code, nor its debug sections, which go with the code) over the same
// section objects, whose symbols defined in the other sections are stand-ins bound to them
// (so that batch 0's layout and debug registration write nothing of what the object's own
// batch reads later). The object's graph itself stays as resolution left it (what export
// and the dynamic-loader emulation look at).
func startView(g *jitlink.Graph, held []bool) *jitlink.Graph {
	c := &jitlink.Graph{Name: g.Name, FirstGlobal: g.FirstGlobal, Groups: g.Groups, RelaKinds: g.RelaKinds, Quiet: g.Quiet}
	c.Sections = make([]*jitlink.Section, len(g.Sections))
	for j, sec := range g.Sections {
		if sec != nil && !held[j] && sec.Kind != jitlink.KindNonAlloc {
			c.Sections[j] = sec
		}
	}
	c.Symbols = make([]*jitlink.Symbol, len(g.Symbols))
	standIn := func(s *jitlink.Symbol) bool {
		return s != nil && s.Def == jitlink.Defined && s.Section != nil && c.Sections[s.Section.Index] != s.Section
	}
	n := 0
	for _, s := range g.Symbols {
		if standIn(s) {
			n++
		}
	}
	stand := make([]jitlink.Symbol, 0, n) // counted first: fresh heap, each page a fault
	for j, s := range g.Symbols {
		if standIn(s) {
			stand = append(stand, jitlink.Symbol{Name: s.Name, Type: s.Type, Binding: s.Binding, Size: s.Size,
				Def: jitlink.Undefined, Graph: c, Res: s.Res})
			c.Symbols[j] = &stand[len(stand)-1]
			continue
		}
		c.Symbols[j] = s
	}
	return c
}

// lazyPlaceStubs allocates the stub table and makes each stub its function's address. It
// runs after batch 0's Layout (which gives held-back code no address), before anything
// uses function addresses (export, fixups).
func (d *Dylib) lazyPlaceStubs() error {
	z := d.lazy
	if z == nil || len(z.funcs) == 0 {
		return nil
	}
	// The stub table: code (r-x), slots (rw-, patched at run time), and unwind information
	// for the code (r--, for unwinders and for tools that look a function's address up in
	// the .eh_frame_hdr dl_iterate_phdr reports), one allocation.
	codeSize := (uint64(len(z.funcs))*x86_64.LazyStubSize + 4095) &^ 4095
	slotSize := (uint64(len(z.funcs))*8 + 4095) &^ 4095
	base, mem, err := d.s.mem.Alloc(codeSize + slotSize + 4096)
	if err != nil {
		return err
	}
	z.region = [2]uint64{base, uint64(len(mem))}
	z.stubBase, z.slotBase = base, base+codeSize
	ehAddr := base + codeSize + slotSize
	eh, hdrOff := stubUnwindInfo(ehAddr, z.stubBase, uint64(len(z.funcs))*x86_64.LazyStubSize)
	copy(mem[ehAddr-base:], eh)
	z.stubEH, z.stubEHHdr, z.stubEHHdrSize = ehAddr, ehAddr+hdrOff, uint64(len(eh))-hdrOff
	if err := d.s.mem.Protect(ehAddr, 4096, jitlink.PermR); err != nil {
		return err
	}
	if err := linux.RegisterEHFrame(ehAddr); err != nil {
		return err
	}
	entry := linux.LazyEntry()
	for k, f := range z.funcs {
		stub := z.stubBase + uint64(k)*x86_64.LazyStubSize
		slot := z.slotBase + uint64(k)*8
		x86_64.WriteLazyStub(mem[stub-base:], stub, slot, entry, z.base+uint32(k))
		le64(mem[slot-base:], stub+x86_64.LazyStubResume)
		f.Addr = stub
	}
	return d.s.mem.Protect(base, codeSize, jitlink.PermRX)
}

func le64(b []byte, v uint64) {
	_ = b[7]
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}

// lazyStart runs when main is about to start: the exit-time statistics and speculation.
func (d *Dylib) lazyStart() {
	z := d.lazy
	if z == nil {
		return
	}
	if d.s.opts.LazyStats {
		linux.AtExit(func() {
			st := d.LazyStats()
			if maps, err := linux.ReadFile("/proc/self/maps"); err == nil {
				st.Mappings = strings.Count(string(maps), "\n")
			}
			st.Write(d.s.opts.Stderr)
		})
	}
	// The heap holds every object's graph (the deferred ones are still needed); a
	// collection would scan all of it for little garbage each time a batch allocates, on
	// the program's time. Batches allocate in proportion to what they link, which is
	// bounded by the inputs: collect only past a limit well above the heap now.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(int64(ms.HeapAlloc)*2 + 512<<20)
	debug.SetGCPercent(-1)
	if d.s.opts.Speculate && len(z.graphs) > 0 {
		z.specDelay, _ = time.ParseDuration(os.Getenv("JITRUN_TEST_SPECULATION_DELAY"))
		z.qcond = sync.NewCond(&z.qmu)
		go z.speculate()
	}
}

// note queues lazy object k for speculation.
func (z *lazyState) note(k int32, hot bool) {
	z.qmu.Lock()
	if !z.queued[k] {
		z.queued[k] = true
		if hot {
			z.hot = append(z.hot, k)
		} else {
			z.cold = append(z.cold, k)
		}
		if z.qcond != nil {
			z.qcond.Signal()
		}
	}
	z.qmu.Unlock()
}

// specBatch is how many objects one speculative batch links: a batch is dropped whole when a
// first call links one of its objects first.
const specBatch = 8

// speculate links queued lazy objects in the background, a batch at a time.
func (z *lazyState) speculate() {
	for {
		z.qmu.Lock()
		for len(z.hot) == 0 && len(z.cold) == 0 {
			z.qcond.Wait()
		}
		var take []int32
		for len(take) < specBatch && len(z.hot) > 0 {
			take = append(take, z.hot[len(z.hot)-1])
			z.hot = z.hot[:len(z.hot)-1]
		}
		for len(take) < specBatch && len(z.cold) > 0 {
			take = append(take, z.cold[0])
			z.cold = z.cold[1:]
		}
		z.qmu.Unlock()
		var want []int32
		for _, k := range take {
			if !z.linked[k].Load() {
				want = append(want, k)
			}
		}
		if len(want) > 0 {
			// Linked without the loader lock, which only the batch's commit takes
			// (materialize): a program thread's first call never waits for this.
			if _, err := z.materialize(want, true); err != nil {
				// Not fatal here (the program may never call these): their first call
				// reports it. Speculation stops.
				return
			}
		}
	}
}

// materialize links deferred objects want (with the deferred objects they refer to in ways a
// stub cannot stand for) as one link batch and points their functions' stubs at their code.
// It returns the number of objects linked.
//
// On a first call (spec false) the caller holds the loader lock. A lazy object's graph is
// then linked in place: nothing else reads it (its global symbols, which other objects bind
// to and dlsym reads, are swapped out of its symbol table, not changed). A split object's
// graph was part of batch 0, whose debugger registration may still be reading it: the batch
// links a copy of its held-back sections and of its symbols.
//
// Speculation (spec true) must never make a program thread wait, so it runs without the
// loader lock and links copies of every graph, changing nothing shared until its commit,
// which takes the lock for the few steps that publish the batch. A first call does not wait
// for a speculative batch: it links what it needs itself, and the speculative batch is
// dropped at its commit if any of its objects got linked meanwhile, or if a library symbol
// it gave a stub or copy (the canonical address) got one from another batch. The two
// coordinate on each object's graph without a lock: a speculative batch counts itself a
// reader (readers) while it copies the graph, and backs off if a first call links it in
// place (inPlace); a first call links in place only when no speculative batch is reading,
// else it copies too.
func (z *lazyState) materialize(want []int32, spec bool) (_ int, err error) {
	d := z.d
	start := time.Now()
	var phases [numBatchPhases]time.Duration
	last := start
	phase := func(p int) {
		now := time.Now()
		phases[p] += now.Sub(last)
		last = now
	}
	inBatch := map[int32]bool{}
	var batch []int32
	var reading []int32 // objects whose graphs this speculative batch reads (readers)
	release := func() {
		for _, k := range reading {
			z.readers[k].Add(-1)
		}
		reading = nil
	}
	defer release()
	// claim records a speculative batch as a reader of object k's graph: false if a first
	// call links it (or linked it) in place, or it is linked.
	claim := func(k int32) bool {
		if !spec {
			return true
		}
		z.readers[k].Add(1)
		if z.inPlace[k].Load() || z.linked[k].Load() {
			z.readers[k].Add(-1)
			return false
		}
		reading = append(reading, k)
		return true
	}
	defer func() {
		if err != nil && !spec {
			// The batch's graphs are spent (linked in place, in part): a later call of
			// one of its functions reports the error instead of linking again.
			if z.failed == nil {
				z.failed = map[int32]error{}
			}
			for _, k := range batch {
				z.failed[k] = err
			}
		}
	}()
	for _, k := range want {
		if !z.linked[k].Load() && !inBatch[k] && claim(k) {
			inBatch[k] = true
			batch = append(batch, k)
		}
	}
	if len(batch) == 0 {
		return 0, nil
	}
	// Closure under references a stub cannot stand for. With speculation, the direct calls
	// to functions whose objects stay unlinked are collected on the way: they are queued
	// once the batch is known.
	specOn := z.qcond != nil
	var calls []int32
	var eb [128]jitlink.Edge
	for i := 0; i < len(batch); i++ {
		k := batch[i]
		g := z.graphs[k]
		for _, sec := range g.Sections {
			h := sec != nil && z.held[k][sec.Index]
			if sec == nil || sec.Kind == jitlink.KindNonAlloc || sec.Discard && !h || z.split[k] && !h {
				continue
			}
			for ei, ne := 0, sec.NumEdges(); ei < ne; {
				blk := sec.EdgeBlock(ei, eb[:])
				ei += len(blk)
				for bi := range blk {
					e := &blk[bi]
					call := x86_64.IsCall(e.Kind)
					if x86_64.AddressOnly(e.Kind, e.Addend) && !(specOn && call) {
						continue
					}
					fk := z.stubbed(g.Symbols[e.Target].Res)
					if fk < 0 {
						continue
					}
					fg := z.funcObj[fk]
					if z.linked[fg].Load() || inBatch[fg] {
						continue
					}
					if x86_64.AddressOnly(e.Kind, e.Addend) {
						// Speculation follows direct calls (an address in a table, a vtable,
						// is much less likely to be called soon).
						calls = append(calls, fg)
						continue
					}
					if !claim(fg) {
						return 0, nil // a first call links it: this speculative batch waits for nothing
					}
					inBatch[fg] = true
					batch = append(batch, fg)
				}
			}
		}
	}
	for _, fg := range calls {
		if !inBatch[fg] {
			z.note(fg, !spec)
		}
	}
	phase(phaseClosure)
	// The graphs this batch links: a copy of the held-back sections of a split object, and
	// of any object a speculative batch is reading (or, for one, of every object).
	copied := make([]bool, len(batch))
	for i, k := range batch {
		copied[i] = z.split[k] || spec
		if !copied[i] {
			z.inPlace[k].Store(true) // then readers: see materialize's comment
			copied[i] = z.readers[k].Load() > 0
		}
	}
	secMap := map[*jitlink.Section]*jitlink.Section{}
	graphs := make([]*jitlink.Graph, len(batch))
	for i, k := range batch {
		g := z.graphs[k]
		if !copied[i] {
			graphs[i] = g
			continue
		}
		c := &jitlink.Graph{Name: g.Name, FirstGlobal: g.FirstGlobal, Groups: g.Groups, RelaKinds: g.RelaKinds, Quiet: g.Quiet}
		c.Sections = make([]*jitlink.Section, len(g.Sections))
		for j, sec := range g.Sections {
			if sec == nil || !z.held[k][sec.Index] && sec.Kind != jitlink.KindNonAlloc {
				continue // its data, linked at start
			}
			// Its edges stay shared with the object's (nothing changes them); a debug
			// section of a discarded group stays discarded.
			cs := *sec
			cs.Graph, cs.Addr = c, 0
			c.Sections[j] = &cs
			secMap[sec] = &cs
		}
		graphs[i] = c
	}
	// Each of the batch's functions gets a local symbol at its code, in its own object's
	// graph: direct calls go there (SymExtra.Code, Link.Direct), not through the stub (a
	// call cannot observe the difference), and debuggers, profilers and crash reports name
	// code by the symbols of the batch that placed it (its global symbol stands for its
	// stub: gdb showed a function nothing in its own batch called as "??").
	var slab []jitlink.Symbol
	newSym := func() *jitlink.Symbol {
		if len(slab) == cap(slab) {
			slab = make([]jitlink.Symbol, 0, 64) // in chunks: most batches are one object
		}
		slab = append(slab, jitlink.Symbol{})
		return &slab[len(slab)-1]
	}
	code := map[int32]*jitlink.Symbol{}
	for i, k := range batch {
		c := graphs[i]
		for _, fk := range z.funcOf[k] {
			f := z.funcs[fk]
			sec := f.Section
			if cs, ok := secMap[sec]; ok {
				sec = cs
			}
			a := newSym()
			*a = jitlink.Symbol{Name: f.Name, Type: jitlink.Func, Size: f.Size, Binding: jitlink.Local,
				Def: jitlink.Defined, Section: sec, Value: f.Value, Graph: c}
			a.Res = a
			code[fk] = a // added to c.Symbols below, once a split object's copy has them
		}
	}
	// Private symbols (see the comment at the top).
	cache := map[*jitlink.Symbol]*jitlink.Symbol{}
	var exps []exposed
	l0 := d.link
	proxy := func(r *jitlink.Symbol) *jitlink.Symbol {
		if r == nil {
			return nil
		}
		// One proxy per library symbol (its stub or copy, if this batch makes one, is
		// the one canonical address); others may have several (two symbols bound to
		// one placed definition, in two objects of the batch): each stands for the same
		// address, and they are most of a batch's proxies, nearly all made once.
		ext := r.Def == jitlink.External
		if ext {
			if p, ok := cache[r]; ok {
				return p
			}
		}
		p := newSym()
		*p = jitlink.Symbol{Name: r.Name, Type: r.Type, Size: r.Size, Binding: jitlink.Global,
			Visibility: r.Visibility, Value: r.Value}
		if r.X != nil {
			// The proxy's own TLS GOT indices are this batch's: only the rest is shared.
			x := p.Extra()
			x.Version, x.Lib = r.X.Version, r.X.Lib
		}
		p.Res = p
		switch {
		case r.Type == jitlink.TLS && r.Def != jitlink.External:
			p.Def, p.Addr, p.Target = jitlink.External, r.Addr, uint64(l0.TLS.TPOff)
			p.Extra().TLSModule = l0.TLS.ModID
		case r.Def == jitlink.External && (r.Type == jitlink.TLS || extAddr(r) == 0 || extAddr(r) >= 1<<31):
			p.Def, p.Addr, p.Target = jitlink.External, extAddr(r), r.Target
			if r.X != nil {
				p.Extra().TLSModule = r.X.TLSModule
			}
			if r.Type != jitlink.TLS {
				exps = append(exps, exposed{r, p, p.Addr})
			}
		default:
			// Placed already (or a stub): its canonical address.
			p.Def, p.Addr = jitlink.Absolute, extAddr(r)
			if r.Type == jitlink.IFunc {
				p.Type = jitlink.Func
			}
			// A stubbed function whose code is placed (earlier) or placed by this
			// batch: direct calls, and references a stub cannot stand for, go to it.
			if fk := z.stubbed(r); fk >= 0 {
				if a := code[fk]; a != nil {
					p.Extra().Code = a
				} else if a := z.codeOf[fk].Load(); a != nil {
					p.Extra().Code = a
				}
			}
		}
		if ext {
			cache[r] = p
		}
		return p
	}
	for i, k := range batch {
		g, c := z.graphs[k], graphs[i]
		if !copied[i] {
			// In place: each global slot becomes the proxy of what it resolved to (the
			// object's own functions included: their stubs), the symbols themselves stay.
			for j := g.FirstGlobal; j < len(g.Symbols); j++ {
				if s := g.Symbols[j]; s != nil && s.Binding != jitlink.Local {
					g.Symbols[j] = proxy(s.Res)
				}
			}
			continue
		}
		c.Symbols = make([]*jitlink.Symbol, len(g.Symbols), len(g.Symbols)+len(z.funcOf[k]))
		// Its own symbols in the sections this batch links are copied: counted first.
		own := func(j int, s *jitlink.Symbol) (*jitlink.Section, bool) {
			if s == nil || s.Def != jitlink.Defined {
				return nil, false
			}
			local := j < g.FirstGlobal || s.Binding == jitlink.Local
			cs := secMap[s.Section]
			return cs, cs != nil && z.stubbed(s) < 0 && (local || s.Res == s)
		}
		nOwn := 0
		for j, s := range g.Symbols {
			if _, ok := own(j, s); ok {
				nOwn++
			}
		}
		syms := make([]jitlink.Symbol, 0, nOwn)
		for j, s := range g.Symbols {
			if s == nil {
				continue
			}
			local := j < g.FirstGlobal || s.Binding == jitlink.Local
			if cs, ok := own(j, s); ok {
				syms = append(syms, *s)
				n := &syms[len(syms)-1]
				n.Graph, n.Section, n.Res = c, cs, n
				c.Symbols[j] = n
				continue
			}
			// Its functions (their stubs), its data (placed by batch 0), COMDAT copies,
			// undefined and absolute symbols.
			if local && s.Res == s || s.Def == jitlink.Defined && s.Res == s {
				c.Symbols[j] = proxy(s)
			} else {
				c.Symbols[j] = proxy(s.Res)
			}
		}
	}
	for i, k := range batch {
		for _, fk := range z.funcOf[k] {
			graphs[i].Symbols = append(graphs[i].Symbols, code[fk])
		}
	}
	release() // a speculative batch reads only its copies from here on
	phase(phaseGraphs)
	if spec && z.specDelay > 0 {
		time.Sleep(z.specDelay)
	}
	name := d.Name + ":" + graphs[0].Name
	if len(graphs) > 1 {
		name += fmt.Sprintf("+%d", len(graphs)-1)
	}
	l := jitlink.NewLink(name, d.s.arch, graphs)
	l.RelocName = linux.RelocName
	l.TLSDescDynamic = linux.TLSDescResolver()
	l.Direct = lazyDirect
	// Each segment next to the same permission's of earlier batches (the kernel merges
	// them): a batch in one allocation of its own would add a mapping per permission, and
	// clang's first calls make 836 batches (2,907 mappings at exit before this).
	l.Separate = true
	if err := l.Scan(); err != nil {
		return 0, err
	}
	phase(phaseScan)
	if err := l.Layout(d.s.mem); err != nil {
		return 0, err
	}
	phase(phaseLayout)
	if err := l.ApplyFixups(); err != nil {
		return 0, err
	}
	phase(phaseFixups)
	if err := protectBatch(l, d.s.mem); err != nil {
		return 0, err
	}
	phase(phaseProtect)
	n, err := z.commit(l, graphs, batch, secMap, exps, spec, start)
	if err != nil || n == 0 {
		return n, err
	}
	phase(phasePublish)
	if !spec {
		for i, d := range phases {
			z.stats.OnCallPhases[i] += d
		}
	}
	return n, nil
}

// exposed is a library symbol a batch's proxy stands for, which had no canonical address in
// JIT'd memory (stub or copy) when the proxy was made.
type exposed struct {
	r, p *jitlink.Symbol
	was  uint64 // r.Addr when the proxy was made
}

// commit makes a linked batch part of the program, materialize's last step: copy
// relocations, unwind and debugger registration, the canonical stubs and copies of library
// symbols it made first, and its functions' stub slots. A speculative batch commits under the
// loader lock, or is dropped (0 objects linked) if a first call overtook it.
func (z *lazyState) commit(l *jitlink.Link, graphs []*jitlink.Graph, batch []int32, secMap map[*jitlink.Section]*jitlink.Section, exps []exposed, spec bool, start time.Time) (int, error) {
	if spec {
		// The commit: under the loader lock (re-entrant per OS thread: this goroutine
		// stays on one while it holds it).
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		lk := &z.d.s.dls.lock
		lk.Lock()
		defer lk.Unlock()
		stale := false
		for _, k := range batch {
			stale = stale || z.linked[k].Load()
		}
		for _, x := range exps {
			stale = stale || (x.p.NeedsStub || x.p.NeedsCopy) && extAddr(x.r) != x.was
		}
		if stale {
			// Its memory stays unused (a hole in the arenas: rare, and bounded by what
			// speculation links).
			z.stats.SpecDropped++
			return 0, nil
		}
	}
	for _, c := range l.Copies { // as in Link
		copy(l.Mem(c.Addr, c.Size), unsafeBytes(c.Target, c.Size))
		if err := linux.RedirectData(c.Target, c.Addr); err != nil {
			return 0, err
		}
	}
	if l.EHFrame != 0 {
		if err := linux.RegisterEHFrame(l.EHFrame); err != nil {
			return 0, err
		}
	}
	if o := z.d.s.opts; !o.NoDebug || o.PerfMap || o.JITDump {
		z.registerDebug(l, graphs)
	}
	// A library symbol this batch gave the first stub or copy: that is its canonical
	// address from now on (later batches, dlsym).
	for _, x := range exps {
		if x.p.NeedsStub || x.p.NeedsCopy {
			atomic.StoreUint64(&x.r.Addr, x.p.Addr)
			x.r.NeedsStub = x.r.NeedsStub || x.p.NeedsStub
			x.r.NeedsCopy = x.r.NeedsCopy || x.p.NeedsCopy
		}
	}
	z.batches = append(z.batches, l)
	nf := 0
	for _, k := range batch {
		nf += len(z.funcOf[k])
	}
	codes := make([]jitlink.Symbol, nf) // each function's code symbol (codeOf)
	// Publish: the code is in place and protected; point the stubs at it (the address
	// first: a batch that sees the object linked reads it).
	for _, k := range batch {
		for _, fk := range z.funcOf[k] {
			f := z.funcs[fk]
			sec := f.Section
			if cs, ok := secMap[sec]; ok {
				sec = cs // linked from a copy
			}
			a := sec.Addr + f.Value
			linux.StoreSlot(z.slotBase+uint64(fk)*8, a)
			cs := &codes[0]
			codes = codes[1:]
			*cs = jitlink.Symbol{Name: f.Name, Type: jitlink.Func, Size: f.Size, Binding: jitlink.Local,
				Def: jitlink.Absolute, Addr: a}
			cs.Res = cs
			z.codeOf[fk].Store(cs)
		}
		z.linked[k].Store(true)
	}
	if spec {
		z.stats.Speculative += len(batch)
		z.stats.SpecBatches++
		z.stats.SpecTime += time.Since(start)
	}
	return len(batch), nil
}

// extAddr is a symbol's address, read atomically: a speculative batch reads library symbols'
// addresses without the loader lock, under which a batch's commit sets them.
func extAddr(r *jitlink.Symbol) uint64 { return atomic.LoadUint64(&r.Addr) }

// lazyDirect is a batch's Link.Direct: direct calls and jumps, and references a stub cannot
// stand for (an offset into the function), reach a function's code; its address is its stub.
func lazyDirect(kind uint16, addend int64) bool {
	return x86_64.IsCall(kind) || !x86_64.AddressOnly(kind, addend)
}

// describe prints the lazy state for --map.
func (z *lazyState) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# lazy stubs\n%#012x %#10x lazy stubs (%d)\n", z.stubBase, len(z.funcs)*x86_64.LazyStubSize, len(z.funcs))
	names := make([]string, 0, len(z.graphs))
	for _, g := range z.graphs {
		names = append(names, g.Name)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "# lazy objects (%d)\n", len(names))
	for _, n := range names {
		fmt.Fprintln(&b, n)
	}
	return b.String()
}

func hasDWARF(gs []*jitlink.Graph) bool {
	for _, g := range gs {
		for _, s := range g.Sections {
			if s != nil && s.Kind == jitlink.KindNonAlloc && strings.HasPrefix(s.Name, ".debug_info") {
				return true
			}
		}
	}
	return false
}

// lazyOwns reports whether addr is in the dylib's lazy stubs or lazily linked code (for
// dladdr). The caller holds the loader lock.
func (d *Dylib) lazyOwns(addr uint64) bool {
	z := d.lazy
	if z == nil {
		return false
	}
	if addr >= z.region[0] && addr < z.region[0]+z.region[1] {
		return true
	}
	for _, l := range z.batches {
		if l.Contains(addr) {
			return true
		}
	}
	return false
}

// stubUnwindInfo builds an .eh_frame (one CIE, one FDE covering the stub table: every stub
// is entered by a call or a tail jump and leaves by a jump, so the frame is a function's
// at its first instruction: CFA = rsp+8, return address at CFA-8) at ehAddr, followed by
// an .eh_frame_hdr at the returned offset.
func stubUnwindInfo(ehAddr, code, size uint64) ([]byte, uint64) {
	le32 := func(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	cie := []byte{0, 0, 0, 0, 0, 0, 0, 0, // length, CIE id
		1, 'z', 'R', 0, // version, augmentation
		1, 0x78, 16, // code alignment 1, data alignment -8, return address register 16
		1, 0x1b, // augmentation data: FDE pointers pc-relative sdata4
		0x0c, 7, 8, // DW_CFA_def_cfa rsp, 8
		0x90, 1, // DW_CFA_offset r16, cfa-8
		0, 0} // padding (DW_CFA_nop) to a multiple of 4
	le32(cie, uint32(len(cie)-4))
	fdeOff := uint64(len(cie))
	fde := make([]byte, 20) // length, CIE pointer, pc begin, pc range, augmentation length, padding
	le32(fde, uint32(len(fde)-4))
	le32(fde[4:], uint32(fdeOff+4))
	le32(fde[8:], uint32(code-(ehAddr+fdeOff+8)))
	le32(fde[12:], uint32(size))
	eh := append(append(cie, fde...), 0, 0, 0, 0) // zero terminator
	hdrOff := uint64(len(eh))
	hdrAddr := ehAddr + hdrOff
	hdr := make([]byte, 20)
	hdr[0], hdr[1], hdr[2], hdr[3] = 1, 0x1b, 0x03, 0x3b // version, eh_frame_ptr pcrel sdata4, count udata4, table datarel sdata4
	le32(hdr[4:], uint32(ehAddr-(hdrAddr+4)))
	le32(hdr[8:], 1)
	le32(hdr[12:], uint32(code-hdrAddr))
	le32(hdr[16:], uint32(ehAddr+fdeOff-hdrAddr))
	return append(eh, hdr...), hdrOff
}

// lazyPhdrs is one module dl_iterate_phdr reports for lazily linked code.
type lazyPhdrs struct {
	base  uint64
	phdrs unsafe.Pointer
	n     int
}

// phdr builds ElfW(Phdr) entries.
type phdrBuilder []byte

func (b *phdrBuilder) add(typ, flags uint32, vaddr, size, align uint64) {
	b.addSizes(typ, flags, vaddr, size, size, align)
}

// addSizes adds an entry whose file and memory sizes differ (PT_TLS).
func (b *phdrBuilder) addSizes(typ, flags uint32, vaddr, filesz, memsz, align uint64) {
	p := make([]byte, 56)
	binary.LittleEndian.PutUint32(p, typ)
	binary.LittleEndian.PutUint32(p[4:], flags)
	binary.LittleEndian.PutUint64(p[8:], vaddr)
	binary.LittleEndian.PutUint64(p[16:], vaddr)
	binary.LittleEndian.PutUint64(p[24:], vaddr)
	binary.LittleEndian.PutUint64(p[32:], filesz)
	binary.LittleEndian.PutUint64(p[40:], memsz)
	binary.LittleEndian.PutUint64(p[48:], align)
	*b = append(*b, p...)
}

const ptGNUEHFrame = 0x6474e550

// segmentFlags are the PT_LOAD flags of each permission group.
var segmentFlags = map[jitlink.Perm]uint32{jitlink.PermRX: 5, jitlink.PermR: 4, jitlink.PermRelro: 4, jitlink.PermRW: 6, jitlink.PermRWZero: 6}

// lazyModules describes the stub table and each lazy batch as modules of their own for
// dl_iterate_phdr (each with its PT_GNU_EH_FRAME, as phdr-walking unwinders expect one per
// module), named as the program. The caller holds the loader lock.
func (d *Dylib) lazyModules() []dlemu.Module {
	z := d.lazy
	if z == nil || z.region[1] == 0 {
		return nil
	}
	if len(z.phdrs) == 0 {
		var b phdrBuilder
		base := z.region[0]
		b.add(1, 5, 0, z.slotBase-base, 4096)
		b.add(1, 6, z.slotBase-base, z.stubEH-z.slotBase, 4096)
		b.add(1, 4, z.stubEH-base, 4096, 4096)
		b.add(ptGNUEHFrame, 4, z.stubEHHdr-base, z.stubEHHdrSize, 4)
		z.phdrs = append(z.phdrs, lazyPhdrs{base, dlemu.CBytes(b), len(b) / 56})
	}
	for _, l := range z.batches[len(z.phdrs)-1:] {
		var b phdrBuilder
		base, _ := l.Region() // its lowest segment: the others follow at any distance
		for _, seg := range l.Segments {
			if seg.Size > 0 {
				b.add(1, segmentFlags[seg.Perm], seg.Addr-base, seg.Size, 4096)
			}
		}
		if l.EHFrameHdr != 0 {
			b.add(ptGNUEHFrame, 4, l.EHFrameHdr-base, l.EHFrameHdrSize, 4)
		}
		z.phdrs = append(z.phdrs, lazyPhdrs{base, dlemu.CBytes(b), len(b) / 56})
	}
	out := make([]dlemu.Module, len(z.phdrs))
	for i, p := range z.phdrs {
		out[i] = dlemu.Module{Base: p.base, Name: d.dl.cname, Phdrs: p.phdrs, NumPhdrs: p.n}
	}
	return out
}

// registerDebug registers a batch with debuggers and profilers (debuginfo, one registration
// per batch). Building the in-memory object costs more than linking a small batch, and the
// program's thread is waiting: unless a debugger is attached (it must see the code before
// it runs) or a profiler map is written (its records must precede the code's samples), the
// registration is queued for one background goroutine. The on-disk debug file carries
// DWARF: a batch without any (objects from release archives) gets the in-memory object
// only (names and unwinding), not a file per batch in the debug directory.
// protectBatch gives a batch's segments their final permissions, as Protect and then
// FinishRelro do, with one mprotect for the read-only and relro segments, which are
// adjacent (a batch has no IFUNC of its own whose resolver must fill a stub slot between
// the two): every mprotect of a multi-threaded process costs TLB shootdowns.
func protectBatch(l *jitlink.Link, mem jitlink.Memory) error {
	var roAddr, roEnd uint64
	for _, s := range l.Segments {
		if s.Size == 0 {
			continue
		}
		switch s.Perm {
		case jitlink.PermRX:
			if err := mem.Protect(s.Addr, s.Size, jitlink.PermRX); err != nil {
				return err
			}
		case jitlink.PermR, jitlink.PermRelro:
			if roEnd == 0 {
				roAddr = s.Addr
			}
			if roEnd != 0 && s.Addr != roEnd {
				if err := mem.Protect(roAddr, roEnd-roAddr, jitlink.PermR); err != nil {
					return err
				}
				roAddr = s.Addr
			}
			roEnd = s.Addr + s.Size
		}
	}
	if roEnd != 0 {
		return mem.Protect(roAddr, roEnd-roAddr, jitlink.PermR)
	}
	return nil
}

func (z *lazyState) registerDebug(l *jitlink.Link, graphs []*jitlink.Graph) {
	o := z.d.s.opts
	noDisk := !hasDWARF(graphs)
	opts := debuginfo.Options{Debug: !o.NoDebug, Dir: o.DebugDir, PerfMap: o.PerfMap, JITDump: o.JITDump,
		NoDisk: noDisk, Sync: noDisk}
	reg := func() {
		if _, err := debuginfo.Register(l, opts); err != nil {
			fmt.Fprintf(o.Stderr, "jitrun: warning: %v\n", err)
		}
	}
	if o.PerfMap || o.JITDump || z.traced() {
		reg()
		return
	}
	z.debugMu.Lock()
	z.debugQ = append(z.debugQ, reg)
	start := !z.debugRunning
	z.debugRunning = true
	z.debugMu.Unlock()
	if start {
		// One goroutine drains the queue while it grows. (No timer: a timer would start
		// the Go runtime's poller, whose descriptors the program would see.)
		go func() {
			for {
				z.debugMu.Lock()
				q := z.debugQ
				z.debugQ = nil
				if len(q) == 0 {
					z.debugRunning = false
					z.debugMu.Unlock()
					return
				}
				z.debugMu.Unlock()
				for _, f := range q {
					f()
				}
			}
		}()
	}
}

// traced reports whether a debugger is attached, reading /proc/self/status (20 µs: clang
// makes 836 first-call batches) at most once a millisecond. Attaching stops the process
// for far longer than that, so the first batch after an attach reads it again. The caller
// holds the loader lock.
func (z *lazyState) traced() bool {
	now := time.Now()
	if !z.tracedAt.IsZero() && now.Sub(z.tracedAt) < time.Millisecond {
		return z.tracedWas
	}
	z.tracedWas, z.tracedAt = linux.Traced(), now
	return z.tracedWas
}

// stubbed returns the index of the stubbed function r is, or -1. A stubbed function's
// address is its stub's, which says which one it is: no map look-up on the hot path.
func (z *lazyState) stubbed(r *jitlink.Symbol) int32 {
	if r == nil || r.Addr < z.stubBase || r.Addr >= z.stubBase+uint64(len(z.funcs))*x86_64.LazyStubSize {
		return -1
	}
	fk := int32((r.Addr - z.stubBase) / x86_64.LazyStubSize)
	if z.funcs[fk] != r {
		return -1
	}
	return fk
}
