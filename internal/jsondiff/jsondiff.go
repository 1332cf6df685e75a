// Package jsondiff compares two outputs as people want them compared: as
// JSON values when both are one JSON value each (by path, key order and
// spacing not counting, numbers by exact value), else line by line. It is
// the one diff of outputs, for the TUI's diff of two runs and for the output
// expectations of flow tests alike; it prints nothing, and nothing it returns
// is sanitised.
package jsondiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Line is one entry of a diff between two outputs. Compared as JSON, Op is
// '~' (changed), '+' (added) or '-' (removed) at Path ("$.items[2].price"),
// with Left and Right the old and new values as compact JSON, or '=' for
// Same unchanged values in a row. Compared as text, Op is ' ', '+' or '-' and
// Left and Right are the old and new lines.
type Line struct {
	Op          byte
	Path        string
	Left, Right string
	Same        int
}

// Diff is the comparison of two outputs.
type Diff struct {
	Lines []Line
	Text  bool // the outputs are not both JSON and were compared line by line
}

// Outputs compares two outputs. When both are one JSON value each, it
// compares the values, not their text: every difference is reported at its
// JSON path as changed (with both values), added or removed, and the
// unchanged values between differences are counted, not listed. Key order,
// white space and the escaping of strings never count; objects are walked in
// key order, arrays index by index (an element inserted at the front changes
// every index after it). Numbers compare by exact decimal value: 1, 1.0 and
// 1e0 are the same number, 12345678901234567890 and 12345678901234567891
// are not (as float64 they would be). Otherwise both outputs are compared
// line by line (Text is set; see ByLine), past MaxLines differing lines
// with a *TooLargeError. Paths and values are not sanitised.
func Outputs(a, b []byte) (Diff, error) {
	va, errA := decodeOne(a)
	vb, errB := decodeOne(b)
	if errA != nil || errB != nil {
		lines, err := ByLine(a, b)
		return Diff{Lines: lines, Text: true}, err
	}
	var w walker
	w.walk("$", va, vb)
	w.flush()
	return Diff{Lines: w.out}, nil
}

// decodeOne decodes b as exactly one JSON value, numbers as json.Number.
func decodeOne(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// walker collects the differences of two values in document order.
type walker struct {
	out  []Line
	same int // unchanged values since the last difference
}

func (w *walker) walk(path string, a, b any) {
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok && (len(a) > 0 || len(b) > 0) {
			w.object(path, a, b)
			return
		}
	case []any:
		if b, ok := b.([]any); ok && (len(a) > 0 || len(b) > 0) {
			w.array(path, a, b)
			return
		}
	}
	if equalLeaves(a, b) {
		w.same++
		return
	}
	w.emit(Line{Op: '~', Path: path, Left: compact(a), Right: compact(b)})
}

func (w *walker) object(path string, a, b map[string]any) {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := path + member(k)
		va, inA := a[k]
		vb, inB := b[k]
		switch {
		case !inB:
			w.emit(Line{Op: '-', Path: p, Left: compact(va)})
		case !inA:
			w.emit(Line{Op: '+', Path: p, Right: compact(vb)})
		default:
			w.walk(p, va, vb)
		}
	}
}

func (w *walker) array(path string, a, b []any) {
	for i := range max(len(a), len(b)) {
		p := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case i >= len(b):
			w.emit(Line{Op: '-', Path: p, Left: compact(a[i])})
		case i >= len(a):
			w.emit(Line{Op: '+', Path: p, Right: compact(b[i])})
		default:
			w.walk(p, a[i], b[i])
		}
	}
}

func (w *walker) emit(l Line) {
	w.flush()
	w.out = append(w.out, l)
}

// flush reports the unchanged values counted since the last difference.
func (w *walker) flush() {
	if w.same > 0 {
		w.out = append(w.out, Line{Op: '=', Same: w.same})
		w.same = 0
	}
}

// equalLeaves compares scalars and empty containers.
func equalLeaves(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		return ok && sameNumber(string(a), string(b))
	case map[string]any:
		b, ok := b.(map[string]any)
		return ok && len(a) == 0 && len(b) == 0
	case []any:
		b, ok := b.([]any)
		return ok && len(a) == 0 && len(b) == 0
	}
	return a == b // string, bool, nil
}

// sameNumber compares two JSON numbers by exact decimal value.
func sameNumber(a, b string) bool {
	if a == b {
		return true
	}
	na, okA := decimal(a)
	nb, okB := decimal(b)
	if !okA || !okB {
		return false // an exponent beyond int: only the same text is the same
	}
	return na == nb
}

// dec is a JSON number in lowest terms: sign, significant digits (no
// leading or trailing zeros) and the exponent of the last digit. Zero is
// {digits: ""}, whatever its sign.
type dec struct {
	neg    bool
	digits string
	exp    int
}

// decimal reads a valid JSON number (as json.Number holds one).
func decimal(s string) (dec, bool) {
	var d dec
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		n, err := strconv.Atoi(strings.TrimPrefix(e, "+"))
		if err != nil {
			return dec{}, false
		}
		d.exp = n
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	d.exp -= len(frac)
	trimmed := strings.TrimRight(digits, "0")
	d.exp += len(digits) - len(trimmed)
	d.digits = strings.TrimLeft(trimmed, "0")
	if d.digits == "" {
		return dec{}, true
	}
	return d, true
}

// member is the path step to key: ".name" when the key is an identifier,
// else `["a key"]`.
func member(k string) string {
	ident := k != ""
	for i, r := range k {
		if !(r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			ident = false
			break
		}
	}
	if ident {
		return "." + k
	}
	return "[" + compact(k) + "]"
}

// compact is v as one line of JSON: keys sorted, numbers as written, HTML
// characters not escaped.
func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "?" // decoded JSON always encodes
	}
	return strings.TrimSuffix(b.String(), "\n")
}
