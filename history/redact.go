package history

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// masked replaces the value of every redacted key.
const masked = `"***"`

// maxNesting bounds how deep JSON documents carried inside JSON strings are
// opened (a trace holds each state's input as a string, for instance).
const maxNesting = 4

// redactor masks the values of chosen keys in JSON text.
type redactor struct {
	keys  []string // as given, compared with strings.EqualFold
	lower []string // ASCII-lowercased, for the quick scan
}

func newRedactor(keys []string) redactor {
	var r redactor
	for _, k := range keys {
		if k = strings.TrimSpace(k); k != "" {
			r.keys = append(r.keys, k)
			r.lower = append(r.lower, strings.ToLower(k))
		}
	}
	return r
}

// text returns s with the value of every matching key, at any depth, replaced
// by "***". Everything else keeps its bytes. Text that is not JSON is
// returned as is.
func (r redactor) text(s string) string {
	if out, ok := r.redact(s, 0); ok {
		return out
	}
	return s
}

func (r redactor) match(key string) bool {
	for _, k := range r.keys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// mayMatch is the quick scan that lets most documents skip the tokenizer:
// pure ASCII text without escapes can only hold a key as its literal quoted
// spelling. Anything else takes the slow path.
func (r redactor) mayMatch(s string) bool {
	if len(r.keys) == 0 {
		return false
	}
	lower := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '\\' {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, k := range r.lower {
		if bytes.Contains(lower, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

type span struct {
	start, end int64
	with       string
}

type frame struct {
	object, expectKey bool
}

// redact walks s with the token API, noting the byte spans to replace, then
// splices them in. ok is false when s is not valid JSON.
func (r redactor) redact(s string, depth int) (out string, ok bool) {
	if !r.mayMatch(s) {
		return s, true
	}
	dec := json.NewDecoder(strings.NewReader(s))
	var spans []span
	var stack []frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expectKey = true
		}
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{object: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				if !r.match(v) {
					stack[n-1].expectKey = false
					continue
				}
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return s, false
				}
				end := dec.InputOffset()
				spans = append(spans, span{end - int64(len(raw)), end, masked})
				continue
			}
			if depth < maxNesting && looksJSON(v) {
				if inner, ok := r.redact(v, depth+1); ok && inner != v {
					end := dec.InputOffset()
					// The literal starts at the first quote after the
					// separators and blanks that precede it.
					start := before + int64(strings.IndexByte(s[before:end], '"'))
					spans = append(spans, span{start, end, quote(inner)})
				}
			}
			valueDone()
		default:
			valueDone()
		}
	}
	if len(stack) != 0 {
		return s, false // cut short: the decoder reports EOF mid-document
	}
	if len(spans) == 0 {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	var at int64
	for _, sp := range spans {
		b.WriteString(s[at:sp.start])
		b.WriteString(sp.with)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String(), true
}

func looksJSON(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// quote encodes s as a JSON string, leaving <, > and & as they are.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
