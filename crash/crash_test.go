package crash

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sampleReport() *Report {
	off := Hex(0x17)
	return &Report{
		Format: Format, Time: "2025-01-02T03:04:05Z", PID: 100, Program: "prog",
		Signal: Signal{Number: 11, Name: "SIGSEGV", Description: "Segmentation fault", Code: 1, CodeName: "SEGV_MAPERR",
			CodeDesc: "address not mapped to object", Addr: hexp(0), Access: "write", Mapping: "NULL pointer dereference", TID: 100},
		Registers: []Register{{"rax", 1}, {"rip", 0x10017}},
		Code:      &Code{Addr: 0x10000, Bytes: "554889e5c7070000000090", PC: 0x10004},
		Threads: []Thread{
			{TID: 100, Name: "prog", Crashed: true, Frames: []Frame{
				{Index: 0, PC: 0x10004, How: "context", Exact: true, Module: 0, Offset: 4,
					Symbols: []Symbol{{Function: "inner", File: "/src/a.c", Line: 3, Column: 5, Inlined: true},
						{Function: "outer", Offset: &off, File: "/src/a.c", Line: 9, Column: 2}}},
				{Index: 1, PC: 0x7f0000001234, How: "cfi", Module: 1, Offset: 0x1234},
				{Index: 7, PC: 0x7f0000001300, How: "scan", Module: 1, Offset: 0x1300, Signal: true},
			}, Omitted: 5},
			{TID: 101, Name: "worker", State: "sleeping", Frames: []Frame{{PC: 0x999, How: "fp", Module: -1}}},
		},
		Modules: []Module{
			{ID: 0, Name: "jit:a.c", Kind: "jit", BuildID: "abcdef0123", Start: 0x10000, End: 0x12000,
				Maps: []Mapping{{Start: 0x10000, End: 0x11000, Perm: "r-x"}, {Start: 0x11000, End: 0x12000, Perm: "rw-"}}},
			{ID: 1, Name: "libc.so.6", Kind: "lib", Path: "/lib/libc.so.6", BuildID: "00112233", Start: 0x7f0000000000,
				End: 0x7f0000010000, Bias: 0x7f0000000000, Maps: []Mapping{{Start: 0x7f0000000000, End: 0x7f0000010000, Perm: "r-x"}}},
		},
		DebugDir: "/tmp/debug",
		Notes:    []string{"a note"},
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := sampleReport()
	j, err := r.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(j, []byte(`"pc": "0x7f0000001234"`)) {
		t.Errorf("addresses are not hexadecimal strings:\n%s", j)
	}
	back, err := Parse(j)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, back) {
		t.Errorf("round trip differs:\n%+v\n%+v", r, back)
	}
	var text bytes.Buffer
	back.WriteText(&text)
	for _, want := range []string{
		"received SIGSEGV (Segmentation fault) in thread 100 \"prog\" (main thread)",
		"si_code 1 SEGV_MAPERR: address not mapped to object",
		"0x0000000000010004 in inner /src/a.c:3:5 (inlined)",
		"0x0000000000010004 in outer+0x17 (jit:a.c+0x4) /src/a.c:9:2 [context]",
		"in ?? (libc.so.6+0x1234) [cfi]",
		"... 5 frames omitted ...",
		"<signal handler called>",
		"55 48 89 e5 <c7> 07",
		"Thread 101 \"worker\", sleeping:",
		"jit   jit:a.c build-id abcdef0123",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}

func TestMarkupRoundTrip(t *testing.T) {
	r := sampleReport()
	var m bytes.Buffer
	if err := r.WriteMarkup(&m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{{module:0:jit_a.c:elf:abcdef0123}}}", "{{{mmap:0x10000:0x1000:load:0:rx:0x10000}}}",
		"{{{module:1:/lib/libc.so.6:elf:00112233}}}", "{{{mmap:0x7f0000000000:0x10000:load:1:rx:0x0}}}",
		"{{{bt:0:0x10004:pc}}}", "{{{bt:1:0x7f0000001234:ra}}}", "jitrun debug directory: /tmp/debug"} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("markup lacks %q:\n%s", want, m.String())
		}
	}
	back, err := Parse(m.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Modules) != 2 || back.Modules[1].Bias != 0x7f0000000000 || back.Modules[1].Path != "/lib/libc.so.6" ||
		back.Modules[0].BuildID != "abcdef0123" || back.DebugDir != "/tmp/debug" {
		t.Errorf("modules %+v", back.Modules)
	}
	if len(back.Threads) != 2 || len(back.Threads[0].Frames) != 3 || !back.Threads[0].Frames[0].Exact ||
		back.Threads[0].Frames[1].PC != 0x7f0000001234 || back.Threads[0].Frames[1].Module != 1 ||
		back.Threads[0].Frames[1].Offset != 0x1234 {
		t.Errorf("threads %+v", back.Threads)
	}
	var out bytes.Buffer
	back.writeFiltered(&out)
	if !strings.Contains(out.String(), "Thread 100 \"prog\" (main thread) (crashed):\n  #0   0x0000000000010004 in ??") {
		t.Errorf("filtered:\n%s", out.String())
	}
}

func TestParseErrors(t *testing.T) {
	good, _ := sampleReport().MarshalIndent()
	for name, in := range map[string]string{
		"empty":      "",
		"text":       "hello\n",
		"truncated":  string(good[:len(good)/2]),
		"format":     `{"format": "other", "pid": 1, "signal": {}, "threads": [], "modules": []}`,
		"unknown":    strings.Replace(string(good), `"pid"`, `"pidx"`, 1),
		"module ref": strings.Replace(string(good), `"module": 1`, `"module": 5`, 1),
		"how":        strings.Replace(string(good), `"how": "cfi"`, `"how": "magic"`, 1),
		"hex":        strings.Replace(string(good), `"0x7f0000001234"`, `"0xzz"`, 1),
		"trailing":   string(good) + "{}",
		"bt":         "{{{bt:x:0x10}}}\n",
		"mmap":       "{{{module:0:a:elf:00}}}\n{{{mmap:0x10:zz:load:0:r:0}}}\n",
		"mmap mod":   "{{{mmap:0x10:0x10:load:3:r:0}}}\n",
		"build id":   "{{{module:0:a:elf:xyz}}}\n",
		"dup module": "{{{module:0:a:elf:00}}}\n{{{module:0:b:elf:00}}}\n",
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestSymbolizeDWARF symbolicates an address of a shared object compiled from
// testdata/crash/crash.c: a function inlined into another, with file:line:column.
func TestSymbolizeDWARF(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	so := filepath.Join(dir, "crash.so")
	src, _ := filepath.Abs("../testdata/crash/crash.c")
	if out, err := exec.Command("gcc", "-g", "-O2", "-shared", "-fPIC", "-o", so, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	f, err := openSymFile(so)
	if err != nil {
		t.Fatal(err)
	}
	var addr, size uint64
	for _, s := range f.symbols() {
		if s.name == "store_value" {
			addr, size = s.addr, s.size
		}
	}
	if addr == 0 {
		t.Fatal("no store_value")
	}
	line := 0
	b, _ := os.ReadFile(src)
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "CRASH:segv") {
			line = i + 1
		}
	}
	ms := &modSyms{m: &Module{Bias: 0x10000}, sym: f}
	// The instruction of store_value that is store_at, inlined.
	var syms []Symbol
	var at uint64
	for a := addr; a < addr+size && len(syms) != 2; a++ {
		syms, at = ms.symbolize(a+0x10000, true), a
	}
	if len(syms) != 2 || syms[0].Function != "store_at" || !syms[0].Inlined || syms[0].Line != line ||
		!strings.HasSuffix(syms[0].File, "crash.c") || syms[0].Column == 0 ||
		syms[1].Function != "store_value" || syms[1].Inlined || syms[1].Offset == nil || *syms[1].Offset != Hex(at-addr) ||
		syms[1].Line != line+4 {
		t.Errorf("symbols in store_value: %+v", syms)
	}
	// A return address (not exact) is looked up at pc-1: still in the function before it.
	if s := ms.symbolize(addr+0x10000+1, false); len(s) == 0 || s[len(s)-1].Function != "store_value" {
		t.Errorf("return address: %+v", s)
	}
	if id := f.buildID(); len(id) != 40 {
		t.Errorf("build id %q", id)
	}
	if tab := f.cfi(0); tab.Find(addr) == nil {
		t.Errorf("no CFI for store_value")
	}
}

func TestDemangle(t *testing.T) {
	if got := demangleName("_ZNK6shapes9Validator5checkEi"); got != "shapes::Validator::check(int) const" {
		t.Errorf("demangled %q", got)
	}
	if got := demangleName("runtime.futex"); got != "runtime.futex" {
		t.Errorf("Go name changed: %q", got)
	}
}

// FuzzParse: no input makes the report parsers (JSON and markup) or the printers panic.
func FuzzParse(f *testing.F) {
	j, _ := sampleReport().MarshalIndent()
	f.Add(j)
	var m bytes.Buffer
	sampleReport().WriteMarkup(&m)
	f.Add(m.Bytes())
	f.Add([]byte("{{{module:0:a:elf:00}}}\n{{{mmap:0x10:0x10:load:0:rx:0}}}\n{{{bt:0:0x15:pc}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		r.WriteText(&out)
		r.WriteMarkup(&out)
		r.writeFiltered(&out)
		if _, err := r.MarshalIndent(); err != nil {
			t.Fatal(err)
		}
	})
}
