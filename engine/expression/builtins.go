package expression

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	mrand "math/rand/v2"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

func fnArrayContains(c *call) (any, error) {
	arr, err := c.arr(0)
	if err != nil {
		return nil, err
	}
	for _, e := range arr {
		if jsonEqual(e, c.args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// fnArrayUnique keeps the first occurrence of each value, in order.
func fnArrayUnique(c *call) (any, error) {
	arr, err := c.arr(0)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(arr))
	seen := make(map[string]bool, len(arr))
	for _, e := range arr {
		key, err := compactJSON(sameNumbers(e)) // canonical: numbers by value, keys sorted
		if err != nil {
			return nil, fmt.Errorf("%s: %v", c.name, err)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// fnFormat replaces each {} in order; strings are inserted as is, other
// values as compact JSON. Surplus values are ignored.
func fnFormat(c *call) (any, error) {
	tmpl, err := c.str(0)
	if err != nil {
		return nil, err
	}
	want := strings.Count(tmpl, "{}")
	if have := len(c.args) - 1; have < want {
		return nil, fmt.Errorf("format: template has %d %s but %d %s given", want, plural(want, "placeholder"), have, plural(have, "value"))
	}
	var sb strings.Builder
	rest := tmpl
	for i := 1; ; i++ {
		j := strings.Index(rest, "{}")
		if j < 0 {
			sb.WriteString(rest)
			break
		}
		sb.WriteString(rest[:j])
		if s, ok := c.args[i].(string); ok {
			sb.WriteString(s)
		} else {
			js, err := compactJSON(c.args[i])
			if err != nil {
				return nil, fmt.Errorf("format: value %d: %v", i, err)
			}
			sb.WriteString(js)
		}
		rest = rest[j+2:]
	}
	return sb.String(), nil
}

// fnFromBase64 accepts standard and URL alphabets, padded or not.
func fnFromBase64(c *call) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return string(b), nil
		}
	}
	return nil, fmt.Errorf("%s: argument is not valid base64", c.name)
}

func fnStringToJSON(c *call) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	v, err := DecodeJSON([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("%s: invalid JSON: %v", c.name, err)
	}
	return v, nil
}

func fnGet(c *call) (any, error) { return fetch(c.args[0], c.args[1]), nil }

// hashes is keyed by the upper-cased algorithm name without dashes.
var hashes = map[string]func() hash.Hash{
	"MD5": md5.New, "SHA1": sha1.New, "SHA256": sha256.New, "SHA512": sha512.New,
}

// fnHash returns the lower-case hex digest of the UTF-8 text.
func fnHash(c *call) (any, error) {
	text, err := c.str(0)
	if err != nil {
		return nil, err
	}
	alg, err := c.str(1)
	if err != nil {
		return nil, err
	}
	newHash, ok := hashes[strings.ReplaceAll(strings.ToUpper(alg), "-", "")]
	if !ok {
		return nil, fmt.Errorf("hash: unsupported algorithm %q; supported: MD5, SHA-1, SHA-256, SHA-512", alg)
	}
	h := newHash()
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fnIntAdd(c *call) (any, error) {
	a, err := c.integer(0)
	if err != nil {
		return nil, err
	}
	b, err := c.integer(1)
	if err != nil {
		return nil, err
	}
	return intAdd.apply(a, b).value(), nil
}

// fnJSONMerge is a shallow merge into a new object: keys of the second
// argument win.
func fnJSONMerge(c *call) (any, error) {
	a, err := c.obj(0)
	if err != nil {
		return nil, err
	}
	b, err := c.obj(1)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

// fnLength counts characters of a string, elements of an array or keys of
// an object; the count is an integer (json.Number), as the page's int says.
func fnLength(c *call) (any, error) {
	n := -1
	if s, ok := c.args[0].(string); ok {
		n = utf8.RuneCountInString(s)
	} else if a, ok := asArray(c.args[0]); ok {
		n = len(a)
	} else if m, ok := asObject(c.args[0]); ok {
		n = len(m)
	}
	if n < 0 {
		return nil, c.typeErr(0, "a string, an array or an object")
	}
	return num{i: int64(n), isInt: true}.value(), nil
}

func fnMapKeys(c *call) (any, error) {
	m, err := c.obj(0)
	if err != nil {
		return nil, err
	}
	keys := sortedKeys(m)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out, nil
}

func fnMapValues(c *call) (any, error) {
	m, err := c.obj(0)
	if err != nil {
		return nil, err
	}
	return valuesInKeyOrder(m), nil
}

func valuesInKeyOrder(m map[string]any) []any {
	keys := sortedKeys(m)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// fnRandomInt returns an integer in [min, max). Its hidden third argument
// is Env.Rand (nil means math/rand/v2).
func fnRandomInt(c *call) (any, error) {
	lo, err := c.int64Arg(0)
	if err != nil {
		return nil, err
	}
	hi, err := c.int64Arg(1)
	if err != nil {
		return nil, err
	}
	if lo >= hi {
		return nil, fmt.Errorf("randomInt: min (%d) must be less than max (%d)", lo, hi)
	}
	n, ok := intSub.small(hi, lo)
	if !ok {
		return nil, fmt.Errorf("randomInt: max - min must be within 2^63, got [%d, %d)", lo, hi)
	}
	r := c.rand()
	if r == nil {
		r = mrand.Int64N
	}
	v := r(n)
	if v < 0 || v >= n {
		return nil, fmt.Errorf("randomInt: random source returned %d, outside [0, %d)", v, n)
	}
	return num{i: lo + v, isInt: true}.value(), nil
}

// fnRegexMatch reports whether text contains a match of the RE2 pattern
// (like Go's regexp.MatchString; anchor with ^…$ for a full match).
func fnRegexMatch(c *call) (any, error) {
	pattern, err := c.str(0)
	if err != nil {
		return nil, err
	}
	text, err := c.str(1)
	if err != nil {
		return nil, err
	}
	re := c.st.regex[pattern]
	if re == nil {
		if re, err = regexp.Compile(pattern); err != nil {
			return nil, fmt.Errorf("regexMatchString: invalid pattern %q: %v", pattern, err)
		}
	}
	return re.MatchString(text), nil
}

// fnSplit splits on every separator; an empty separator splits into
// characters.
func fnSplit(c *call) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	sep, err := c.str(1)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(s, sep)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// fnToArray gathers its arguments, whatever they are, into a new array (the
// page: "convert a variable number of arguments into an array").
func fnToArray(c *call) (any, error) {
	return append(make([]any, 0, len(c.args)), c.args...), nil
}

// fnToBase64 encodes the UTF-8 text with the standard, padded alphabet.
func fnToBase64(c *call) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// fnUUID returns a random (version 4) UUID in lower case. With Env.Rand its
// 16 bytes are drawn from that source, so a run given a source is
// reproducible; without, from crypto/rand.
func fnUUID(c *call) (any, error) {
	r := c.rand()
	if r == nil {
		return uuid.NewString(), nil
	}
	u, err := uuid.NewRandomFromReader(randReader(r))
	if err != nil {
		return nil, fmt.Errorf("uuid: %v", err)
	}
	return u.String(), nil
}

// randReader reads bytes from a random source of the Env.Rand kind.
type randReader func(int64) int64

func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		v := r(256)
		if v < 0 || v >= 256 {
			return i, fmt.Errorf("random source returned %d, outside [0, 256)", v)
		}
		p[i] = byte(v)
	}
	return len(p), nil
}
