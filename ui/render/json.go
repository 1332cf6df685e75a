// Package render holds the pure text functions of the Result pane:
// pretty-printing and highlighting JSON and YAML, wrapping styled text at a
// display width, and a diff of two outputs as the pane's message (the
// comparing itself is internal/jsondiff's). Nothing here touches a terminal
// or a model; callers run the expensive ones in a tea.Cmd.
//
// The highlighters never decode strings: they colour the text they are given
// byte for byte, so ansi.Strip of their result is their input. Sanitise
// untrusted text before highlighting it (sanitize.JSON for JSON, sanitize.Text
// for YAML): the escape sequences added here are the only ones in the result.
package render

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/flowtui/flowtui/ui/theme"
)

// Indent is the indentation of pretty-printed JSON.
const Indent = "  "

// PrettyJSON indents raw JSON text by two spaces without decoding it: string
// escapes stay escaped, numbers keep their digits and keys their order. It
// fails on text that is not one JSON value.
func PrettyJSON(raw []byte) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	var b bytes.Buffer
	b.Grow(len(raw) * 5 / 2)
	if err := json.Indent(&b, raw, "", Indent); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// paint is a style as the SGR text around a token: rendering a style once and
// reusing its two halves is a hundred times cheaper than Render per token.
type paint = theme.Paint

type palette struct{ key, str, num, lit, punct, comment paint }

func newPalette(st *theme.Styles) palette {
	return palette{
		key: theme.PaintOf(st.JSONKey), str: theme.PaintOf(st.JSONString), num: theme.PaintOf(st.JSONNumber),
		lit: theme.PaintOf(st.JSONLiteral), punct: theme.PaintOf(st.JSONPunct), comment: theme.PaintOf(st.Subtle),
	}
}

// HighlightJSON colours pretty-printed JSON: keys, strings, numbers, the
// literals true/false/null and punctuation. Each token is styled on its own
// and no token spans a line, so every line of the result carries its own
// styles. Text that is not JSON is kept as it is, uncoloured where it cannot
// be read.
func HighlightJSON(st *theme.Styles, pretty []byte) string {
	p := newPalette(st)
	var b strings.Builder
	b.Grow(len(pretty) * 4)
	n := len(pretty)
	for i := 0; i < n; {
		c := pretty[i]
		switch {
		case c == '"':
			j := stringEnd(pretty, i)
			k := j
			for k < n && (pretty[k] == ' ' || pretty[k] == '\t') {
				k++
			}
			if k < n && pretty[k] == ':' {
				p.key.Write(&b, pretty[i:j])
			} else {
				p.str.Write(&b, pretty[i:j])
			}
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < n && isNumByte(pretty[j]) {
				j++
			}
			p.num.Write(&b, pretty[i:j])
			i = j
		case c >= 'a' && c <= 'z':
			j := i + 1
			for j < n && pretty[j] >= 'a' && pretty[j] <= 'z' {
				j++
			}
			switch string(pretty[i:j]) {
			case "true", "false", "null":
				p.lit.Write(&b, pretty[i:j])
			default:
				b.Write(pretty[i:j])
			}
			i = j
		case isPunct(c):
			j := i + 1
			for j < n && isPunct(pretty[j]) {
				j++
			}
			p.punct.Write(&b, pretty[i:j])
			i = j
		default:
			j := i + 1
			for j < n && !tokenStart(pretty[j]) {
				j++
			}
			b.Write(pretty[i:j])
			i = j
		}
	}
	return b.String()
}

// stringEnd returns the index after the string that starts at b[i] == '"':
// after its closing quote, or at the end of the line for an unterminated one.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			if j+1 < len(b) && b[j+1] != '\n' {
				j++
			}
		case '"':
			return j + 1
		case '\n':
			return j
		}
	}
	return len(b)
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

func isPunct(c byte) bool {
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':'
}

func tokenStart(c byte) bool {
	return c == '"' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || isPunct(c)
}
