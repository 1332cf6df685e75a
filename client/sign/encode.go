// Package sign signs Alibaba Cloud RPC requests the way the official fnf SDKs do:
// the "V2" RPC signature (HMAC-SHA1, SignatureVersion 1.0, the SDK default) and the
// V3 header signature (ACS3-HMAC-SHA256).
//
// Both schemes percent-encode names and values per RFC 3986 (unreserved characters
// A–Z a–z 0–9 - _ . ~ kept, everything else %XY with uppercase hex, space as %20).
// Values are encoded once when added to a Values set and the encoded form is reused
// for the canonical string, the query string and the form body: a 1 MiB Input is
// never encoded twice on the way out.
package sign

import (
	"slices"
	"strings"
	"unsafe"
)

const upperhex = "0123456789ABCDEF"

// reserved[c] is 1 for the bytes RFC 3986 encodes: a number rather than a bool
// so that the counting loop has no branch.
var reserved = func() (t [256]uint8) {
	for i := range t {
		c := byte(i)
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			t[i] = 1
		}
	}
	return t
}()

// Encode percent-encodes s as Alibaba Cloud's signers require.
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		n += int(reserved[s[i]])
	}
	if n == 0 {
		return s
	}
	buf := make([]byte, len(s)+2*n)
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if reserved[c] == 0 {
			buf[j] = c
			j++
			continue
		}
		_ = buf[j+2]
		buf[j], buf[j+1], buf[j+2] = '%', upperhex[c>>4], upperhex[c&15]
		j += 3
	}
	// buf is never written again, so handing it out as a string is safe and
	// saves a copy of what may be a 1 MiB Input.
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// Pair is one parameter, name and value already percent-encoded.
type Pair struct{ Name, Value string }

// Values is an ordered set of encoded parameters.
type Values struct{ pairs []Pair }

// Add encodes name and value and appends them.
func (v *Values) Add(name, value string) {
	v.pairs = append(v.pairs, Pair{Encode(name), Encode(value)})
}

// Len reports how many parameters v holds.
func (v *Values) Len() int { return len(v.pairs) }

// Pairs returns the encoded pairs in the order they were added.
func (v *Values) Pairs() []Pair { return v.pairs }

// Encode joins the pairs as name=value&… in insertion order: a query string or an
// application/x-www-form-urlencoded body.
func (v *Values) Encode() string {
	return join(v.pairs)
}

func join(pairs []Pair) string {
	n := 0
	for _, p := range pairs {
		n += len(p.Name) + len(p.Value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// Canonical merges the sets, sorts the pairs by encoded name (then value) in byte
// order and joins them: the canonicalised query string of both signature schemes.
func Canonical(sets ...*Values) string {
	return join(sorted(sets))
}

func sorted(sets []*Values) []Pair {
	n := 0
	for _, s := range sets {
		n += len(s.pairs)
	}
	all := make([]Pair, 0, n)
	for _, s := range sets {
		all = append(all, s.pairs...)
	}
	slices.SortFunc(all, func(a, b Pair) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return all
}
