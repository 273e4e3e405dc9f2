package ldscript

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func parseFile(t *testing.T, path string) *Script {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !LooksLikeScript(data) {
		t.Errorf("%s: LooksLikeScript = false", path)
	}
	s, err := Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDebianScripts(t *testing.T) {
	cases := map[string][]Input{
		"testdata/libc.so": {
			{Name: "/lib/x86_64-linux-gnu/libc.so.6", InGroup: true},
			{Name: "/usr/lib/x86_64-linux-gnu/libc_nonshared.a", InGroup: true},
			{Name: "/lib64/ld-linux-x86-64.so.2", InGroup: true, AsNeeded: true},
		},
		"testdata/libm.so": {
			{Name: "/lib/x86_64-linux-gnu/libm.so.6", InGroup: true},
			{Name: "/lib/x86_64-linux-gnu/libmvec.so.1", InGroup: true, AsNeeded: true},
		},
		"testdata/libgcc_s.so": {
			{Name: "libgcc_s.so.1", InGroup: true},
			{Name: "gcc", IsLib: true, InGroup: true},
		},
	}
	for path, want := range cases {
		s := parseFile(t, path)
		if !reflect.DeepEqual(s.Inputs, want) || s.SearchDirs != nil {
			t.Errorf("%s:\n got %+v\nwant %+v", path, s, want)
		}
	}
}

func TestHandwritten(t *testing.T) {
	s := parseFile(t, "testdata/input_lib.ld")
	want := []Input{
		{Name: "crt1.o"},
		{Name: "foo", IsLib: true},
		{Name: "dir with space/libbar.a"},
		{Name: "libx.a", InGroup: true},
		{Name: "liby.a", InGroup: true},
		{Name: "z", IsLib: true, InGroup: true, AsNeeded: true},
		{Name: "libw.so", InGroup: true, AsNeeded: true},
	}
	if !reflect.DeepEqual(s.Inputs, want) {
		t.Errorf("inputs:\n got %+v\nwant %+v", s.Inputs, want)
	}
	if !reflect.DeepEqual(s.SearchDirs, []string{"/opt/lib", "=/usr/local/lib"}) {
		t.Errorf("search dirs: %q", s.SearchDirs)
	}

	// Quoted AS_NEEDED is a file name; a bare one without "(" too.
	s, err := Parse("q", []byte(`INPUT("AS_NEEDED" AS_NEEDED)`))
	if err != nil || len(s.Inputs) != 2 || s.Inputs[0].Name != "AS_NEEDED" || s.Inputs[1].Name != "AS_NEEDED" {
		t.Errorf("quoted AS_NEEDED: %+v %v", s, err)
	}
	s, err = Parse("empty", []byte("/* nothing */\n"))
	if err != nil || len(s.Inputs) != 0 {
		t.Errorf("empty: %+v %v", s, err)
	}
}

func TestErrors(t *testing.T) {
	data, _ := os.ReadFile("testdata/sections.ld")
	_, err := Parse("sections.ld", data)
	if err == nil || err.Error() != `sections.ld:3: unsupported linker script command "SECTIONS"` {
		t.Errorf("SECTIONS: %v", err)
	}
	cases := []struct{ src, want string }{
		{"/* open", "x.ld:1: unterminated comment"},
		{"\n\nINPUT(a b", `x.ld:3: missing ")" in file list`},
		{"INPUT a", `x.ld:1: expected "(" after INPUT, found "a"`},
		{"GROUP(a AS_NEEDED(b AS_NEEDED(c)))", "x.ld:1: nested AS_NEEDED"},
		{"INPUT(\"a)", "x.ld:1: unterminated quoted string"},
		{"INPUT(-l)", `x.ld:1: "-l" without a library name`},
		{"INPUT(\"\")", "x.ld:1: empty file name"},
		{"OUTPUT_FORMAT(a, b)", "x.ld:1: OUTPUT_FORMAT takes one or three arguments, found 2"},
		{"ENTRY()", "x.ld:1: ENTRY takes one argument, found 0"},
		{"\nfoo = 1;", `x.ld:2: unsupported linker script command "foo"`},
		{"INPUT(a { b)", `x.ld:1: unexpected "{" in file list`},
		{"OUTPUT_ARCH(", `x.ld:1: missing ")" for OUTPUT_ARCH on line 1`},
		{")", `x.ld:1: unexpected ")"`},
	}
	for _, c := range cases {
		_, err := Parse("x.ld", []byte(c.src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: err = %v, want %s", c.src, err, c.want)
		}
	}
}

func TestLooksLikeScript(t *testing.T) {
	cases := map[string]bool{
		"/* GNU ld script */\nGROUP ( a )": true,
		"INPUT(a)":                         true,
		"  SECTIONS { }":                   true,
		"\x7fELF\x02\x01":                  false,
		"!<arch>\n":                        false,
		"hello world":                      false,
		"INPUT(\x00)":                      false,
		"":                                 false,
		"/* unterminated":                  false,
		"\xff\xfe INPUT":                   false,
	}
	for s, want := range cases {
		if got := LooksLikeScript([]byte(s)); got != want {
			t.Errorf("LooksLikeScript(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`INPUT("a" , -lb) GROUP(AS_NEEDED(c) d);`))
	f.Fuzz(func(t *testing.T, data []byte) {
		LooksLikeScript(data)
		s, err := Parse("fuzz.ld", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.ld:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, in := range s.Inputs {
			if in.Name == "" {
				t.Fatalf("empty input name in %+v", s.Inputs)
			}
		}
	})
}
