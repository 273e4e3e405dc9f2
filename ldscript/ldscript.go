// Package ldscript owns reading GNU ld "implicit linker scripts", the small
// text files such as libc.so that name the real inputs with INPUT, GROUP and
// AS_NEEDED. Other linker script features are rejected with an error.
package ldscript

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Script is the list of inputs an implicit linker script names, in order.
type Script struct {
	Inputs     []Input  // files named by INPUT, GROUP and AS_NEEDED, in order
	SearchDirs []string // directories named by SEARCH_DIR, in order
}

// Input is one file named by INPUT, GROUP or AS_NEEDED.
type Input struct {
	Name     string // a path, or for "-lNAME" entries the NAME (with IsLib set)
	IsLib    bool   // written as -lNAME
	AsNeeded bool   // inside AS_NEEDED(...)
	InGroup  bool   // inside GROUP(...)
}

// knownCommands are GNU ld script commands that LooksLikeScript accepts as
// the start of a script; only some of them are supported by Parse, the rest
// produce a clear "unsupported" error rather than "unknown file type".
var knownCommands = map[string]bool{
	"INPUT": true, "GROUP": true, "OUTPUT_FORMAT": true, "OUTPUT_ARCH": true,
	"SEARCH_DIR": true, "ENTRY": true, "OUTPUT": true, "TARGET": true,
	"INCLUDE": true, "STARTUP": true, "SECTIONS": true, "MEMORY": true,
	"PHDRS": true, "VERSION": true, "PROVIDE": true, "PROVIDE_HIDDEN": true,
	"EXTERN": true, "ASSERT": true, "INSERT": true, "NOCROSSREFS": true,
	"REGION_ALIAS": true, "FORCE_COMMON_ALLOCATION": true,
	"INHIBIT_COMMON_ALLOCATION": true,
}

// LooksLikeScript reports whether data is plausibly a linker script: not ELF
// or ar, valid UTF-8 text without NULs, whose first word after comments and
// whitespace is a GNU ld command.
func LooksLikeScript(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\x7fELF")) || bytes.HasPrefix(data, []byte("!<arch>\n")) ||
		bytes.HasPrefix(data, []byte("!<thin>\n")) {
		return false
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return false
	}
	lx := &lexer{name: "", src: data, line: 1}
	tok, err := lx.next()
	if err != nil || tok.kind != tokWord {
		return false
	}
	return knownCommands[tok.text]
}

// Parse parses the implicit linker script data; name is used in errors,
// which have the form "name:LINE: message".
func Parse(name string, data []byte) (*Script, error) {
	p := &parser{lx: lexer{name: name, src: data, line: 1}}
	if err := p.script(); err != nil {
		return nil, err
	}
	return &p.s, nil
}

type tokKind int

const (
	tokEOF    tokKind = iota
	tokWord           // bare word or file name
	tokString         // "quoted" file name
	tokLParen
	tokRParen
	tokComma
	tokSemi
	tokOther // any other punctuation, e.g. "{"
)

type token struct {
	kind tokKind
	text string
	line int
}

func (t token) String() string {
	if t.kind == tokEOF {
		return "end of file"
	}
	return fmt.Sprintf("%q", t.text)
}

type lexer struct {
	name string
	src  []byte
	pos  int
	line int
}

func (lx *lexer) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", lx.name, line, fmt.Sprintf(format, args...))
}

// isWordByte reports whether c can be part of a bare word (file name).
func isWordByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '(', ')', ',', ';', '"', '{', '}':
		return false
	}
	return true
}

func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '/' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '*':
			start := lx.line
			end := bytes.Index(lx.src[lx.pos+2:], []byte("*/"))
			if end < 0 {
				return token{}, lx.errorf(start, "unterminated comment")
			}
			body := lx.src[lx.pos : lx.pos+2+end+2]
			lx.line += bytes.Count(body, []byte("\n"))
			lx.pos += len(body)
		default:
			return lx.token()
		}
	}
	return token{kind: tokEOF, line: lx.line}, nil
}

func (lx *lexer) token() (token, error) {
	c := lx.src[lx.pos]
	line := lx.line
	var k tokKind
	switch c {
	case '(':
		k = tokLParen
	case ')':
		k = tokRParen
	case ',':
		k = tokComma
	case ';':
		k = tokSemi
	}
	if k != tokEOF {
		lx.pos++
		return token{kind: k, text: string(c), line: line}, nil
	}
	if c == '"' {
		end := bytes.IndexByte(lx.src[lx.pos+1:], '"')
		if end < 0 {
			return token{}, lx.errorf(line, "unterminated quoted string")
		}
		text := string(lx.src[lx.pos+1 : lx.pos+1+end])
		if strings.Contains(text, "\n") {
			return token{}, lx.errorf(line, "newline in quoted string")
		}
		lx.pos += end + 2
		return token{kind: tokString, text: text, line: line}, nil
	}
	if !isWordByte(c) {
		lx.pos++
		return token{kind: tokOther, text: string(c), line: line}, nil
	}
	start := lx.pos
	for lx.pos < len(lx.src) && isWordByte(lx.src[lx.pos]) {
		// A comment start ends a word.
		if lx.src[lx.pos] == '/' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '*' && lx.pos > start {
			break
		}
		lx.pos++
	}
	return token{kind: tokWord, text: string(lx.src[start:lx.pos]), line: line}, nil
}

type parser struct {
	lx   lexer
	s    Script
	peek *token
}

func (p *parser) next() (token, error) {
	if p.peek != nil {
		t := *p.peek
		p.peek = nil
		return t, nil
	}
	return p.lx.next()
}

func (p *parser) errorf(t token, format string, args ...any) error {
	return p.lx.errorf(t.line, format, args...)
}

func (p *parser) expect(k tokKind, what string) (token, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind != k {
		return t, p.errorf(t, "expected %s, found %v", what, t)
	}
	return t, nil
}

func (p *parser) script() error {
	for {
		t, err := p.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokEOF:
			return nil
		case tokSemi:
			continue
		case tokWord:
		default:
			return p.errorf(t, "unexpected %v", t)
		}
		switch t.text {
		case "INPUT", "GROUP":
			if _, err := p.expect(tokLParen, `"(" after `+t.text); err != nil {
				return err
			}
			if err := p.fileList(t.text == "GROUP", false); err != nil {
				return err
			}
		case "OUTPUT_FORMAT":
			args, err := p.args(t)
			if err != nil {
				return err
			}
			if len(args) != 1 && len(args) != 3 {
				return p.errorf(t, "OUTPUT_FORMAT takes one or three arguments, found %d", len(args))
			}
		case "OUTPUT_ARCH", "ENTRY", "SEARCH_DIR":
			args, err := p.args(t)
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return p.errorf(t, "%s takes one argument, found %d", t.text, len(args))
			}
			if t.text == "SEARCH_DIR" {
				p.s.SearchDirs = append(p.s.SearchDirs, args[0])
			}
		default:
			return p.errorf(t, "unsupported linker script command %q", t.text)
		}
	}
}

// args reads "( arg, arg ... )" after the command cmd; arguments are words
// or quoted strings separated by commas or spaces.
func (p *parser) args(cmd token) ([]string, error) {
	if _, err := p.expect(tokLParen, `"(" after `+cmd.text); err != nil {
		return nil, err
	}
	var args []string
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokRParen:
			return args, nil
		case tokComma:
		case tokWord, tokString:
			args = append(args, t.text)
		case tokEOF:
			return nil, p.errorf(t, "missing \")\" for %s on line %d", cmd.text, cmd.line)
		default:
			return nil, p.errorf(t, "unexpected %v in %s", t, cmd.text)
		}
	}
}

// fileList reads the files of INPUT/GROUP (or AS_NEEDED when asNeeded) up to
// and including the closing parenthesis.
func (p *parser) fileList(inGroup, asNeeded bool) error {
	for {
		t, err := p.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokRParen:
			return nil
		case tokComma:
			continue
		case tokEOF:
			return p.errorf(t, `missing ")" in file list`)
		case tokString:
			if t.text == "" {
				return p.errorf(t, "empty file name")
			}
			p.s.Inputs = append(p.s.Inputs, Input{Name: t.text, AsNeeded: asNeeded, InGroup: inGroup})
			continue
		case tokWord:
		default:
			return p.errorf(t, "unexpected %v in file list", t)
		}
		if t.text == "AS_NEEDED" {
			la, err := p.next()
			if err != nil {
				return err
			}
			if la.kind == tokLParen {
				if asNeeded {
					return p.errorf(t, "nested AS_NEEDED")
				}
				if err := p.fileList(inGroup, true); err != nil {
					return err
				}
				continue
			}
			p.peek = &la // a file literally named AS_NEEDED
		}
		in := Input{Name: t.text, AsNeeded: asNeeded, InGroup: inGroup}
		if strings.HasPrefix(t.text, "-l") {
			in.Name, in.IsLib = t.text[2:], true
			if in.Name == "" {
				return p.errorf(t, `"-l" without a library name`)
			}
		}
		p.s.Inputs = append(p.s.Inputs, in)
	}
}
