package debuginfo

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jitrun/jitrun/jitlink"
	"github.com/jitrun/jitrun/jitlink/x86_64"
	"github.com/jitrun/jitrun/platform/linux"
)

// testLink compiles testdata/chain.c with gcc -g and links it into this process.
func testLink(t testing.TB) *jitlink.Link {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed")
	}
	obj := filepath.Join(t.TempDir(), "chain.o")
	if out, err := exec.Command("gcc", "-g", "-O2", "-c", "-o", obj, "testdata/chain.c").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	data, err := os.ReadFile(obj)
	if err != nil {
		t.Fatal(err)
	}
	g, err := linux.ReadObject("chain.o", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range g.Symbols {
		if s != nil && s.Def != jitlink.Undefined {
			s.Res = s
		}
	}
	l := jitlink.NewLink("test", x86_64.Arch{}, []*jitlink.Graph{g})
	if err := l.Scan(); err != nil {
		t.Fatal(err)
	}
	if err := l.Layout(linux.NewLowMemory()); err != nil {
		t.Fatal(err)
	}
	if err := l.ApplyFixups(); err != nil {
		t.Fatal(err)
	}
	return l
}

func symAddr(t *testing.T, l *jitlink.Link, name string) uint64 {
	for _, s := range Symbols(l) {
		if s.Name == name {
			return s.Addr
		}
	}
	t.Fatalf("no symbol %s", name)
	return 0
}

func noteBuildID(t *testing.T, f *elf.File) []byte {
	s := f.Section(".note.gnu.build-id")
	if s == nil {
		t.Fatal("no .note.gnu.build-id")
	}
	b, _ := s.Data()
	if len(b) < 16 || binary.LittleEndian.Uint32(b[8:]) != 3 || string(b[12:16]) != "GNU\x00" {
		t.Fatalf("bad build-id note % x", b)
	}
	return b[16:]
}

// TestRegister checks both files of a batch, and that Unregister removes the entry from
// the GDB JIT list and deletes the debug file.
func TestRegister(t *testing.T) {
	l := testLink(t)
	dir := filepath.Join(t.TempDir(), "debug")
	before := linux.JITObjectCount()
	r, err := Register(l, Options{Debug: true, Dir: dir, Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := linux.JITObjectCount(); n != before+1 {
		t.Fatalf("GDB JIT list has %d entries, want %d", n, before+1)
	}
	if Lookup(l) != r {
		t.Fatal("Lookup does not return the registration")
	}
	leaf := symAddr(t, l, "leaf")

	// In memory: ET_REL, sections at their load addresses, symbols relative to them,
	// .eh_frame with the relocated bytes, no DWARF.
	mf, err := elf.NewFile(bytes.NewReader(r.MemoryImage()))
	if err != nil {
		t.Fatal(err)
	}
	if mf.Type != elf.ET_REL {
		t.Errorf("in-memory object is %v, want ET_REL", mf.Type)
	}
	text := mf.Section(".text")
	if text == nil || text.Addr != l.Segments[0].Addr || text.Type != elf.SHT_NOBITS {
		t.Fatalf(".text %+v, want NOBITS at %#x", text, l.Segments[0].Addr)
	}
	eh := mf.Section(".eh_frame")
	if eh == nil || eh.Addr != l.EHFrame {
		t.Fatalf(".eh_frame %+v, want at %#x", eh, l.EHFrame)
	}
	ehData, _ := eh.Data()
	if !bytes.Equal(ehData, memAt(l.EHFrame, l.EHFrameSize)) {
		t.Error(".eh_frame bytes differ from the loaded ones")
	}
	for _, s := range mf.Sections {
		if strings.HasPrefix(s.Name, ".debug_") {
			t.Errorf("in-memory object carries %s", s.Name)
		}
	}
	syms, _ := mf.Symbols()
	found := false
	for _, s := range syms {
		if s.Name == "leaf" {
			found = true
			if sec := mf.Sections[s.Section]; sec.Addr+s.Value != leaf || elf.ST_TYPE(s.Info) != elf.STT_FUNC {
				t.Errorf("leaf at %#x+%#x, want %#x", sec.Addr, s.Value, leaf)
			}
		}
	}
	if !found {
		t.Error("in-memory symbol table lacks leaf")
	}
	if !bytes.Equal(noteBuildID(t, mf), r.BuildID) {
		t.Error("in-memory build id differs")
	}

	// On disk: ET_EXEC at DIR/.build-id/xx/rest.debug, private, absolute symbols, DWARF
	// with load addresses.
	if r.Path != DebugFilePath(dir, r.BuildID) {
		t.Fatalf("debug file %s", r.Path)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("debug directory: %v, mode %v, want 0700", err, st.Mode().Perm())
	}
	df, err := elf.Open(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer df.Close()
	if df.Type != elf.ET_EXEC {
		t.Errorf("debug file is %v, want ET_EXEC", df.Type)
	}
	if !bytes.Equal(noteBuildID(t, df), r.BuildID) {
		t.Error("debug file build id differs")
	}
	dsyms, _ := df.Symbols()
	for _, s := range dsyms {
		if s.Name == "leaf" && s.Value != leaf {
			t.Errorf("debug file: leaf = %#x, want %#x", s.Value, leaf)
		}
	}
	d, err := df.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	rd := d.Reader()
	var low uint64
	for {
		e, err := rd.Next()
		if err != nil || e == nil {
			break
		}
		if e.Tag == dwarf.TagSubprogram && e.Val(dwarf.AttrName) == "leaf" {
			low, _ = e.Val(dwarf.AttrLowpc).(uint64)
		}
	}
	if low != leaf {
		t.Errorf("DWARF: leaf low_pc %#x, want %#x", low, leaf)
	}
	if tool, err := exec.LookPath("addr2line"); err == nil {
		out, _ := exec.Command(tool, "-f", "-e", r.Path, "0x"+strconvHex(leaf)).Output()
		if !strings.Contains(string(out), "leaf") || !strings.Contains(string(out), "chain.c:") {
			t.Errorf("addr2line on the debug file: %s", out)
		}
	}

	if err := r.Unregister(); err != nil {
		t.Fatal(err)
	}
	if n := linux.JITObjectCount(); n != before {
		t.Errorf("after Unregister the GDB JIT list has %d entries, want %d", n, before)
	}
	if _, err := os.Stat(r.Path); !os.IsNotExist(err) {
		t.Errorf("debug file still there after Unregister: %v", err)
	}
	if Lookup(l) != nil {
		t.Error("Lookup finds an unregistered batch")
	}
	if err := r.Unregister(); err != nil {
		t.Errorf("second Unregister: %v", err)
	}
}

func strconvHex(v uint64) string {
	const digits = "0123456789abcdef"
	var b []byte
	for v > 0 || len(b) == 0 {
		b = append([]byte{digits[v&15]}, b...)
		v >>= 4
	}
	return string(b)
}

// TestBackgroundWrite: without Sync the debug file is written in the background, appears
// whole, and a second registration of the same code reuses it.
func TestBackgroundWrite(t *testing.T) {
	l := testLink(t)
	dir := t.TempDir()
	r, err := Register(l, Options{Debug: true, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Wait(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(r.Path, old, old)
	if id := buildID(l); !bytes.Equal(id, r.BuildID) {
		t.Fatal("build id is not deterministic")
	}
	if err := writeDebugFile(dir, r.Path, l, nil, r.BuildID, nil, -1); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(r.Path)
	if st2.Size() != st.Size() || !st2.ModTime().After(old) {
		t.Errorf("existing debug file not reused and touched: size %d -> %d, mtime %v", st.Size(), st2.Size(), st2.ModTime())
	}
	r.Unregister()
}

// TestNoDebug: only what was asked for.
func TestNoDebug(t *testing.T) {
	l := testLink(t)
	before := linux.JITObjectCount()
	r, err := Register(l, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if linux.JITObjectCount() != before || r.Path != "" {
		t.Error("registered although Debug is off")
	}
	r.Unregister()
}

func TestClean(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, ".build-id", "ab")
	os.MkdirAll(sub, 0o700)
	gone := filepath.Join(dir, ".build-id", "cd")
	os.MkdirAll(gone, 0o700)
	now := time.Now()
	files := map[string]time.Duration{
		filepath.Join(sub, "fresh.debug"):  time.Hour,
		filepath.Join(sub, "old.debug"):    MaxAge + time.Hour,
		filepath.Join(sub, ".tmp-123"):     2 * time.Hour,
		filepath.Join(sub, ".tmp-456"):     time.Minute,
		filepath.Join(gone, "stale.debug"): MaxAge + time.Hour,
	}
	for p, age := range files {
		os.WriteFile(p, []byte("x"), 0o600)
		os.Chtimes(p, now.Add(-age), now.Add(-age))
	}
	Clean(dir, now)
	for p, age := range files {
		_, err := os.Stat(p)
		kept := err == nil
		want := age < time.Hour || strings.HasSuffix(p, "fresh.debug")
		if kept != want {
			t.Errorf("%s (age %v): kept %v, want %v", p, age, kept, want)
		}
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Error("empty directory left behind")
	}
}

func TestPerfMapAndJITDump(t *testing.T) {
	l := testLink(t)
	path := PerfMapPath(os.Getpid())
	os.Remove(path)
	defer os.Remove(path)
	t.Setenv("JITDUMPDIR", t.TempDir())
	if _, err := Register(l, Options{PerfMap: true, JITDump: true}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := strconvHex(symAddr(t, l, "leaf")) + " "
	if !strings.Contains(string(b), "\n"+want) && !strings.HasPrefix(string(b), want) || !strings.Contains(string(b), " leaf\n") {
		t.Errorf("perf map lacks leaf at %s:\n%s", want, b)
	}
	dump, err := os.ReadFile(JITDumpPath())
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if le.Uint32(dump) != jitMagic || le.Uint32(dump[4:]) != 1 || le.Uint32(dump[8:]) != jitHeaderSize ||
		le.Uint32(dump[12:]) != emX86_64 || int(le.Uint32(dump[20:])) != os.Getpid() || le.Uint64(dump[32:]) != 0 {
		t.Fatalf("bad jitdump header % x", dump[:jitHeaderSize])
	}
	names := map[string]bool{}
	for off := jitHeaderSize; off+jitRecordHdr <= len(dump); {
		id, size := le.Uint32(dump[off:]), int(le.Uint32(dump[off+4:]))
		if size < jitRecordHdr || off+size > len(dump) {
			t.Fatalf("bad record at %d", off)
		}
		if id == jitCodeLoad {
			rec := dump[off : off+size]
			codeSize := le.Uint64(rec[40:])
			name := rec[56:]
			name = name[:bytes.IndexByte(name, 0)]
			names[string(name)] = true
			if codeSize > 0 && 56+len(name)+1+int(codeSize) != size {
				t.Errorf("record %s: size %d", name, size)
			}
		}
		off += size
	}
	if !names["leaf"] || !names["outer"] {
		t.Errorf("jitdump names %v", names)
	}
}

// BenchmarkRegister is the cost a link pays for debugger support on its main path when no
// debugger is attached (the work is done in the background); BenchmarkRegisterSync is the
// whole work: symbols, build id, in-memory object, registration, debug file.
func BenchmarkRegister(b *testing.B) {
	l := testLink(b)
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		r, err := Register(l, Options{Debug: true, Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		r.Wait()
		r.Unregister()
		b.StartTimer()
	}
}

func BenchmarkRegisterSync(b *testing.B) {
	l := testLink(b)
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		r, err := Register(l, Options{Debug: true, Dir: dir, Sync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		r.Unregister()
		b.StartTimer()
	}
}

// TestIdlePriority checks that the background thread's scheduling class is SCHED_IDLE.
func TestIdlePriority(t *testing.T) {
	done := make(chan string)
	go func() {
		runtime.LockOSThread() // the thread exits with the goroutine, class and all
		idlePriority()
		b, err := os.ReadFile("/proc/thread-self/stat")
		if err != nil {
			done <- err.Error()
			return
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		done <- f[38] // field 41, policy
	}()
	if p := <-done; p != "5" {
		t.Fatalf("scheduling policy %s, want 5 (SCHED_IDLE)", p)
	}
}

// TestBuildIDNamesFileContents: the build id follows what the debug file holds (debug
// sections, .eh_frame, layout, symbols), not the code and data bytes it does not hold, so
// that a program whose data holds shared libraries' addresses (ASLR changes them every run)
// keeps one debug file instead of writing another each run.
func TestBuildIDNamesFileContents(t *testing.T) {
	l := testLink(t)
	id := buildID(l)
	var code *jitlink.Segment
	for k := range l.Segments {
		if s := &l.Segments[k]; s.Perm == jitlink.PermRX && s.Size > 0 {
			code = s
		}
	}
	if code == nil || l.EHFrame == 0 {
		t.Fatal("test link has no code or no .eh_frame")
	}
	flip := func(b []byte) { b[0] ^= 0xff }
	cb := memAt(code.Addr, 1)
	flip(cb)
	if !bytes.Equal(buildID(l), id) {
		t.Error("a code byte changed the build id (the debug file does not hold code)")
	}
	flip(cb)
	eh := memAt(l.EHFrame, 1)
	flip(eh)
	if bytes.Equal(buildID(l), id) {
		t.Error(".eh_frame changed but the build id did not")
	}
	flip(eh)
	var dbg *jitlink.Section
	for _, s := range l.Graphs[0].Sections {
		if s != nil && s.Name == ".debug_info" {
			dbg = s
		}
	}
	if dbg == nil || len(dbg.Data) == 0 {
		t.Fatal("no .debug_info in the test link")
	}
	flip(dbg.Data)
	if bytes.Equal(buildID(l), id) {
		t.Error(".debug_info changed but the build id did not")
	}
	flip(dbg.Data)
	if !bytes.Equal(buildID(l), id) {
		t.Error("build id not restored")
	}
}
