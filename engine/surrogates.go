package engine

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// decodeNode parses YAML or JSON text into a node tree, as every reader of
// definitions, flow files and mock files does. JSON writes a character beyond
// U+FFFF as a pair of UTF-16 escapes ("\ud83d\ude80", as Python's json.dump
// does by default), which the YAML parser refuses; each such pair in a
// double-quoted string is first rewritten to the character it stands for.
// Line numbers are unchanged, but on a line with a rewritten pair the columns
// after it are smaller than in the file. A surrogate escape without its other
// half is a *loneSurrogateError placed at the escape.
func decodeNode(data []byte, doc *yaml.Node) error {
	text, lone := joinSurrogates(data)
	err := yaml.Unmarshal(text, doc)
	if err != nil && len(lone) > 0 && strings.Contains(err.Error(), "invalid Unicode character escape") {
		// The YAML parser refuses a lone surrogate without saying where.
		return &lone[0]
	}
	return err
}

// loneSurrogateError is a \uD800–\uDFFF escape in a double-quoted string that
// is not half of a high-low pair: it stands for no character.
type loneSurrogateError struct {
	Pos
	escape string // as written, such as `\ud83d`
}

func (e *loneSurrogateError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.msg())
}

func (e *loneSurrogateError) msg() string {
	return fmt.Sprintf("%s is half of a UTF-16 surrogate pair without its other half; write the character itself, or both escapes (\\ud83d\\ude80 for U+1F680)", e.escape)
}

// joinSurrogates returns data with every surrogate-pair escape inside a
// double-quoted string replaced by the UTF-8 character, and the places of the
// surrogate escapes that are not part of a pair, left as they are. A
// backslash that is itself escaped (`\\ud83d`) starts no escape; plain,
// single-quoted and block scalars and comments hold no escapes and are copied
// as they are. data is returned itself when it holds no surrogate escape.
func joinSurrogates(data []byte) ([]byte, []loneSurrogateError) {
	if !hasSurrogateEscape(data) {
		return data, nil
	}
	s := &surrogateScanner{in: data, line: 1, tokStart: true}
	s.out = make([]byte, 0, len(data))
	s.scan()
	return s.out, s.lone
}

// hasSurrogateEscape is a quick test for `\uD` followed by 8–F, in any case.
func hasSurrogateEscape(data []byte) bool {
	for i := bytes.IndexByte(data, '\\'); i >= 0 && i+3 < len(data); {
		if data[i+1] == 'u' && (data[i+2]|0x20) == 'd' && hexVal(data[i+3]) >= 8 {
			return true
		}
		j := bytes.IndexByte(data[i+1:], '\\')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// surrogateScanner follows YAML's lexical structure just far enough to know
// which double quotes open a double-quoted scalar (JSON's strings are YAML
// double-quoted scalars too): one at the start of a node, not one inside a
// plain scalar, a single-quoted scalar, a block scalar or a comment.
type surrogateScanner struct {
	in, out   []byte
	i         int
	line      int
	lineStart int // offset in in of the current line
	flow      int // depth of [ ] and { }
	tokStart  bool
	lone      []loneSurrogateError
}

func (s *surrogateScanner) scan() {
	for s.i < len(s.in) {
		c := s.in[s.i]
		switch {
		case c == '\n':
			s.newline()
			s.tokStart = s.flow == 0 || s.tokStart
		case c == ' ' || c == '\t' || c == '\r':
			s.copy(1)
		case c == '#' && s.afterSpace():
			s.skipLine()
		case s.tokStart && c == '"':
			s.doubleQuoted()
			s.tokStart = false
		case s.tokStart && c == '\'':
			s.singleQuoted()
			s.tokStart = false
		case s.tokStart && s.flow == 0 && (c == '|' || c == '>'):
			s.blockScalar()
		case s.tokStart && (c == '!' || c == '&'):
			// A tag or an anchor: the node itself follows.
			for s.i < len(s.in) && !isSpace(s.in[s.i]) {
				s.copy(1)
			}
		case c == '[' || c == '{':
			if s.tokStart || s.flow > 0 {
				s.flow++
				s.tokStart = true
			}
			s.copy(1)
		case s.flow > 0 && (c == ']' || c == '}'):
			s.flow--
			s.tokStart = false
			s.copy(1)
		case s.flow > 0 && c == ',':
			s.tokStart = true
			s.copy(1)
		case c == ':' && (s.spaceAt(s.i+1) || !s.tokStart && s.afterQuote()):
			s.tokStart = true
			s.copy(1)
		case s.tokStart && (c == '-' || c == '?') && s.spaceAt(s.i+1):
			s.copy(1)
		default:
			s.tokStart = false
			s.copy(1)
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// spaceAt reports whether the byte at j is white space or the end.
func (s *surrogateScanner) spaceAt(j int) bool { return j >= len(s.in) || isSpace(s.in[j]) }

func (s *surrogateScanner) afterSpace() bool { return s.i == 0 || isSpace(s.in[s.i-1]) }

// afterQuote reports a JSON-style key just before a ':' ("a":"b").
func (s *surrogateScanner) afterQuote() bool {
	return s.i > 0 && (s.in[s.i-1] == '"' || s.in[s.i-1] == '\'')
}

func (s *surrogateScanner) copy(n int) {
	s.out = append(s.out, s.in[s.i:s.i+n]...)
	s.i += n
}

func (s *surrogateScanner) newline() {
	s.copy(1)
	s.line++
	s.lineStart = s.i
}

func (s *surrogateScanner) skipLine() {
	for s.i < len(s.in) && s.in[s.i] != '\n' {
		s.copy(1)
	}
}

func (s *surrogateScanner) singleQuoted() {
	s.copy(1)
	for s.i < len(s.in) {
		switch {
		case s.in[s.i] == '\n':
			s.newline()
		case s.in[s.i] == '\'' && s.i+1 < len(s.in) && s.in[s.i+1] == '\'':
			s.copy(2)
		case s.in[s.i] == '\'':
			s.copy(1)
			return
		default:
			s.copy(1)
		}
	}
}

// blockScalar copies a | or > scalar: the rest of its line, then every line
// that is blank or indented more than the node that holds it.
func (s *surrogateScanner) blockScalar() {
	parent := s.blockParentIndent()
	s.skipLine()
	for s.i < len(s.in) {
		s.newline()
		j := s.i
		for j < len(s.in) && s.in[j] == ' ' {
			j++
		}
		if j < len(s.in) && s.in[j] != '\n' && s.in[j] != '\r' && j-s.i <= parent {
			break
		}
		s.skipLine()
	}
	s.tokStart = true
}

// blockParentIndent is the indentation of the node whose value is the block
// scalar starting at s.i: that of the key on its line past any "- ", or of
// the last "- " when the scalar is the item itself, or -1 for a scalar that
// is the whole document.
func (s *surrogateScanner) blockParentIndent() int {
	j, dash := s.lineStart, -1
	for j < s.i {
		switch {
		case s.in[j] == ' ':
			j++
		case s.in[j] == '-' && s.spaceAt(j+1):
			dash = j - s.lineStart
			j++
		default:
			return j - s.lineStart
		}
	}
	return dash
}

// doubleQuoted copies a double-quoted scalar, joining its surrogate pairs.
func (s *surrogateScanner) doubleQuoted() {
	s.copy(1)
	for s.i < len(s.in) {
		switch c := s.in[s.i]; {
		case c == '\n':
			s.newline()
		case c == '"':
			s.copy(1)
			return
		case c == '\\' && s.i+1 < len(s.in) && s.in[s.i+1] == 'u':
			s.unicodeEscape()
		case c == '\\' && s.i+1 < len(s.in) && s.in[s.i+1] != '\n':
			s.copy(2) // \\ and \" among others: the next byte is not a quote or an escape
		default:
			s.copy(1)
		}
	}
}

// unicodeEscape copies the \uHHHH escape at s.i, joining a surrogate pair
// into its character and noting a lone surrogate.
func (s *surrogateScanner) unicodeEscape() {
	hi, ok := s.hex4(s.i + 2)
	if !ok || !utf16.IsSurrogate(rune(hi)) {
		s.copy(2)
		return
	}
	if lo, ok := s.hex4(s.i + 8); ok && hi < 0xDC00 && lo >= 0xDC00 && lo <= 0xDFFF &&
		s.in[s.i+6] == '\\' && s.in[s.i+7] == 'u' {
		s.out = utf8.AppendRune(s.out, utf16.DecodeRune(rune(hi), rune(lo)))
		s.i += 12
		return
	}
	col := utf8.RuneCount(s.in[s.lineStart:s.i]) + 1
	s.lone = append(s.lone, loneSurrogateError{Pos{s.line, col}, string(s.in[s.i : s.i+6])})
	s.copy(6)
}

// hex4 reads four hexadecimal digits at j.
func (s *surrogateScanner) hex4(j int) (int, bool) {
	if j+4 > len(s.in) {
		return 0, false
	}
	v := 0
	for _, c := range s.in[j : j+4] {
		d := hexVal(c)
		if d < 0 {
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
