package uitest

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Hostile is text an attacker controls (a flow output, a state name, a
// service's error message) carrying what must never reach a terminal raw:
// a title-setting OSC, a screen clear, a C1 CSI, DEL, a bidi override and
// isolate, zero-width characters, a BOM and invalid UTF-8.
const Hostile = "evil\x1b]0;pwned\x07\x1b[2J\u009b31m\x7f\u202egnp.exe\u2066x\u2069 or\u200bder\u200d\ufeff\xff!"

// sgr matches a Select Graphic Rendition sequence, the only escape sequence
// the panes' styles write.
var sgr = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// CheckTerminalSafe fails unless every escape sequence of view is a style
// (SGR), and it holds no other control character (newline aside), no C1
// control, no bidi or zero-width character and no invalid UTF-8.
func CheckTerminalSafe(tb testing.TB, what, view string) {
	tb.Helper()
	if !utf8.ValidString(view) {
		tb.Fatalf("%s: invalid UTF-8 reaches the terminal", what)
	}
	for i := 0; i < len(view); {
		if view[i] == 0x1b {
			m := sgr.FindString(view[i:])
			if m == "" {
				tb.Fatalf("%s: a raw escape sequence reaches the terminal: %q", what, view[i:min(len(view), i+12)])
			}
			i += len(m)
			continue
		}
		r, n := utf8.DecodeRuneInString(view[i:])
		if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 || strings.ContainsRune(invisibles, r) {
			tb.Fatalf("%s: %U reaches the terminal raw near %q", what, r, view[max(0, i-20):min(len(view), i+20)])
		}
		i += n
	}
}

// invisibles are the characters Hostile hides behind.
const invisibles = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"
