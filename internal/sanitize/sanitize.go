// Package sanitize makes attacker-influenced text (flow outputs, service
// error messages, execution and flow names, definitions) safe to print on a
// terminal. Visible escaping beats silent stripping: every control character
// is shown instead of sent — C0 controls in caret notation (ESC → "^["), DEL as
// "^?", C1 controls, bidi controls and invisible format characters as
// `\u009b`, invalid UTF-8 as U+FFFD. Every string from outside that reaches
// the screen goes through this package.
package sanitize

import (
	"encoding/json"
	"math/bits"
)

// mode selects which characters a scan treats as safe.
type mode uint8

const (
	keepWS mode = 1 << iota // '\n' and '\t' are safe
)

const (
	modeText = keepWS
	modeLine = mode(0)
	modeJSON = keepWS // pre-check for JSON: Text-clean
)

const (
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
	spaces = 0x2020202020202020
)

const hexDigits = "0123456789abcdef"

// Text returns s safe to print on a terminal: printable text, '\n' and '\t'
// kept; other C0 controls (incl. ESC, BEL, '\r') become caret notation
// (ESC → "^[", BEL → "^G", CR → "^M", NUL → "^@"), DEL → "^?", C1 controls
// U+0080–U+009F → `\u0080` … `\u009f` (six literal characters), the
// invisible characters (bidi controls, zero-width characters; see invisible)
// → `\u202e` etc., and each invalid UTF-8 byte → U+FFFD. Bidi controls
// reorder what a line shows (Trojan Source) and zero-width characters make
// two different names look alike, in a multi-line text as in a name.
// When s needs no change it is returned as is, without allocating.
func Text(s string) string {
	i := scan(s, modeText)
	if i == len(s) {
		return s
	}
	return string(rewrite(s, i, modeText))
}

// Line is Text for one-line contexts (names, status bar, table cells): in
// addition '\n' → "^J" and '\t' → "^I".
// When s needs no change it is returned as is, without allocating.
func Line(s string) string {
	i := scan(s, modeLine)
	if i == len(s) {
		return s
	}
	return string(rewrite(s, i, modeLine))
}

// Bytes is Text for byte slices. It returns b itself when b needs no change.
func Bytes(b []byte) []byte {
	i := scan(b, modeText)
	if i == len(b) {
		return b
	}
	return rewrite(b, i, modeText)
}

// Clean reports whether s would be returned unchanged by Text.
func Clean(s string) bool {
	return scan(s, modeText) == len(s)
}

// JSON makes JSON text safe to print while keeping it valid JSON that decodes
// to the same value. Inside strings, DEL and the C1 controls (which
// encoding/json leaves raw) become \u007f and \u0080 … \u009f escapes, the
// invisible characters (see Text) become \u escapes too, and each invalid
// UTF-8 byte becomes U+FFFD (as encoding/json would decode it). Outside
// strings nothing changes. Input that is not valid JSON is passed through
// Bytes instead. JSON returns b itself when b needs no change.
func JSON(b []byte) []byte {
	if scan(b, modeJSON) == len(b) {
		// Nothing JSON would escape and nothing Bytes would rewrite.
		return b
	}
	if !json.Valid(b) {
		return Bytes(b)
	}
	var out []byte // nil until the first change
	last := 0      // b[last:i] not yet copied to out
	inString := false
	for i := 0; i < len(b); {
		c := b[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			i++
			continue
		}
		switch {
		case c == '"':
			inString = false
			i++
			continue
		case c == '\\':
			i += 2 // valid JSON: the escaped byte is ASCII
			continue
		case c < 0x7f:
			i++
			continue
		}
		var r rune
		size := 1
		if c == 0x7f {
			r = 0x7f
		} else {
			r, size = decodeRune(b, i)
			if size > 1 && r >= 0xa0 && !invisible(r) {
				i += size
				continue
			}
		}
		if out == nil {
			out = make([]byte, 0, len(b)+len(b)/8+16)
		}
		out = append(out, b[last:i]...)
		if size == 1 && c != 0x7f {
			out = append(out, "\uFFFD"...)
		} else {
			out = appendU(out, r)
		}
		i += size
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// scan returns the index of the first byte of s that m does not leave as is,
// or len(s) if there is none.
func scan[T string | []byte](s T, m mode) int {
	n := len(s)
	i := 0
	for i < n {
		// Fast path: 8 bytes at a time while all are printable ASCII.
		for i+8 <= n {
			w := load64(s, i)
			// High bit of a byte set if it is >= 0x80, == 0x7f, or < 0x20.
			// Carries and borrows only ever start at a flagged byte, so the
			// lowest flagged byte is exact.
			mask := (w | (w + ones) | (w - spaces)) & highs
			if mask != 0 {
				i += bits.TrailingZeros64(mask) >> 3
				break
			}
			i += 8
		}
		if i >= n {
			break
		}
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != 0x7f || m&keepWS != 0 && (c == '\n' || c == '\t') {
				i++
				continue
			}
			return i
		}
		// Inline fast paths for well-formed 2- and 3-byte sequences, which
		// also cover every C1 and bidi control; the rest goes to decodeRune.
		if c >= 0xc2 && c < 0xe0 && i+1 < n {
			c1 := s[i+1]
			if c1&0xc0 == 0x80 {
				if c == 0xc2 && c1 < 0xa0 || c == 0xd8 && c1 == 0x9c {
					return i // C1 control or U+061C
				}
				i += 2
				continue
			}
			return i
		}
		if c >= 0xe1 && c < 0xf0 && c != 0xed && i+2 < n {
			c1, c2 := s[i+1], s[i+2]
			if c1&0xc0 == 0x80 && c2&0xc0 == 0x80 {
				if c == 0xe2 && (c1 == 0x80 || c1 == 0x81) && invisible(rune(c1&0x3f)<<6|rune(c2&0x3f)|0x2000) ||
					c == 0xef && c1 == 0xbb && c2 == 0xbf || c == 0xe1 && c1 == 0xa0 && c2 == 0x8e {
					return i // U+2000–U+207F, U+FEFF, U+180E
				}
				i += 3
				continue
			}
			return i
		}
		r, size := decodeRune(s, i)
		if size == 1 || r < 0xa0 || invisible(r) {
			return i
		}
		i += size
	}
	return n
}

// rewrite returns s escaped according to m; s[:i] is known to be safe.
func rewrite[T string | []byte](s T, i int, m mode) []byte {
	out := make([]byte, 0, len(s)+len(s)/8+16)
	out = append(out, s[:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c < 0x20:
			out = append(out, '^', c+0x40)
			i++
		case c == 0x7f:
			out = append(out, '^', '?')
			i++
		case c < 0x80: // cannot happen: scan stops only at unsafe bytes
			out = append(out, c)
			i++
		default:
			r, size := decodeRune(s, i)
			if size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = appendU(out, r)
			}
			i += size
		}
		j := i + scan(s[i:], m)
		out = append(out, s[i:j]...)
		i = j
	}
	return out
}

// appendU appends the six characters `\uXXXX` (lowercase hex) for r <= 0xFFFF.
func appendU(out []byte, r rune) []byte {
	return append(out, '\\', 'u',
		hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// invisible reports whether r is shown escaped although it is printable:
// the bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C), the zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF,
// U+180E), the deprecated format controls U+206A–U+206F, and the line and
// paragraph separators U+2028, U+2029. (An emoji sequence joined by U+200D
// then shows its parts: visible beats invisible.)
func invisible(r rune) bool {
	return r >= 0x200b && r <= 0x200f ||
		r >= 0x2028 && r <= 0x202e ||
		r >= 0x2060 && r <= 0x2064 ||
		r >= 0x2066 && r <= 0x206f ||
		r == 0x061c || r == 0xfeff || r == 0x180e
}

// load64 reads s[i:i+8] as a little-endian uint64.
func load64[T string | []byte](s T, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// decodeRune decodes the UTF-8 sequence starting at s[i] (s[i] >= 0x80) with
// the same result as utf8.DecodeRune: size 1 for any invalid or truncated
// encoding (the rune is then meaningless).
func decodeRune[T string | []byte](s T, i int) (rune, int) {
	c0 := s[i]
	n := len(s) - i
	lo, hi := byte(0x80), byte(0xbf) // allowed range of the second byte
	var size int
	switch {
	case c0 < 0xc2:
		return 0xfffd, 1
	case c0 < 0xe0:
		size = 2
	case c0 < 0xf0:
		size = 3
		if c0 == 0xe0 {
			lo = 0xa0
		} else if c0 == 0xed {
			hi = 0x9f
		}
	case c0 < 0xf5:
		size = 4
		if c0 == 0xf0 {
			lo = 0x90
		} else if c0 == 0xf4 {
			hi = 0x8f
		}
	default:
		return 0xfffd, 1
	}
	if n < 2 {
		return 0xfffd, 1
	}
	c1 := s[i+1]
	if c1 < lo || c1 > hi {
		return 0xfffd, 1
	}
	if size == 2 {
		return rune(c0&0x1f)<<6 | rune(c1&0x3f), 2
	}
	if n < 3 {
		return 0xfffd, 1
	}
	c2 := s[i+2]
	if c2 < 0x80 || c2 > 0xbf {
		return 0xfffd, 1
	}
	if size == 3 {
		return rune(c0&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f), 3
	}
	if n < 4 {
		return 0xfffd, 1
	}
	c3 := s[i+3]
	if c3 < 0x80 || c3 > 0xbf {
		return 0xfffd, 1
	}
	return rune(c0&0x07)<<18 | rune(c1&0x3f)<<12 | rune(c2&0x3f)<<6 | rune(c3&0x3f), 4
}
