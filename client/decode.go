package client

import (
	"unicode/utf8"

	"github.com/flowtui/flowtui/fnf"
)

// decodeExecution reads a StartSyncExecution answer that is a flat object of
// the known string fields, which is what the service sends. It reports false on
// anything else (another key, a non-string value, a surrogate escape, invalid
// UTF-8, bad syntax) and then the caller uses encoding/json, whose answer it
// matches whenever it reports true (FuzzDecodeExecution checks this).
//
// Why: encoding/json validates and then decodes, and the escaped Output string
// dominates; this single pass is several times faster and keeps the client's
// own cost per run within budget.
func decodeExecution(b []byte, e *fnf.Execution) bool {
	p := flatParser{b: b}
	var out fnf.Execution
	p.ws()
	if !p.eat('{') {
		return false
	}
	p.ws()
	if p.eat('}') {
		*e = out
		return p.end()
	}
	for {
		key, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if !p.eat(':') {
			return false
		}
		p.ws()
		val, ok := p.str()
		if !ok {
			return false
		}
		switch key {
		case "RequestId":
			out.RequestId = val
		case "FlowName":
			out.FlowName = val
		case "Name":
			out.Name = val
		case "Status":
			out.Status = fnf.Status(val)
		case "ErrorCode":
			out.ErrorCode = val
		case "ErrorMessage":
			out.ErrorMessage = val
		case "Output":
			out.Output = val
		case "StartedTime":
			out.StartedTime = val
		case "StoppedTime":
			out.StoppedTime = val
		default:
			// encoding/json matches keys case-insensitively and may keep fields
			// this parser does not know: let it decide.
			return false
		}
		p.ws()
		if p.eat('}') {
			*e = out
			return p.end()
		}
		if !p.eat(',') {
			return false
		}
		p.ws()
	}
}

type flatParser struct {
	b []byte
	i int
}

func (p *flatParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *flatParser) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *flatParser) end() bool {
	p.ws()
	return p.i == len(p.b)
}

// str reads a JSON string.
func (p *flatParser) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	rest := p.b[p.i:]
	var buf []byte
	for {
		// Scan to the next quote or backslash, refusing control characters.
		j, ascii := 0, true
		for ; j < len(rest); j++ {
			c := rest[j]
			if c == '"' || c == '\\' {
				break
			}
			if c < 0x20 {
				return "", false
			}
			if c >= 0x80 {
				ascii = false
			}
		}
		if j == len(rest) || (!ascii && !utf8.Valid(rest[:j])) {
			return "", false
		}
		if buf == nil && rest[j] == '"' {
			p.i += j + 1
			return string(rest[:j]), true
		}
		if buf == nil {
			buf = make([]byte, 0, len(rest))
		}
		buf = append(buf, rest[:j]...)
		if rest[j] == '"' {
			p.i = len(p.b) - len(rest) + j + 1
			return string(buf), true
		}
		if j+1 >= len(rest) {
			return "", false
		}
		switch c := rest[j+1]; c {
		case '"', '\\', '/':
			buf = append(buf, c)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(rest[j+2:])
			if !ok || (r >= 0xD800 && r <= 0xDFFF) {
				return "", false // surrogates: leave their pairing to encoding/json
			}
			buf = utf8.AppendRune(buf, r)
			rest = rest[j+6:]
			continue
		default:
			return "", false
		}
		rest = rest[j+2:]
	}
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
