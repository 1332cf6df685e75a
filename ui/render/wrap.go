package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks text into lines of at most width cells. Each line of text is
// wrapped on its own: after the last space that fits when there is one past
// the start of the text, else at the width (long words, JSON strings, wide
// characters are cut between grapheme clusters). Styles survive the cut: a
// wrapped line closes the SGR styles in effect with a reset and the next line
// opens them again, so each line can be printed on its own (in a frame, beside
// another column). Nothing is dropped: ansi.Strip of the lines joined is the
// stripped text without its newlines. Tabs count as no cells: expand them
// first.
func Wrap(text string, width int) []string {
	width = max(width, 1)
	out := make([]string, 0, strings.Count(text, "\n")+1)
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return wrapLine(out, text, width)
		}
		out = wrapLine(out, text[:i], width)
		text = text[i+1:]
	}
}

// WrapCount is len(Wrap(line, width)) for one line, without building the lines.
func WrapCount(line string, width int) int {
	width = max(width, 1)
	if len(line) <= width {
		return 1 // a cell takes at least one byte
	}
	n := 0
	breakLine(line, width, func(int, int, string, string) { n++ })
	return n
}

func wrapLine(out []string, s string, w int) []string {
	if len(s) <= w {
		return append(out, s)
	}
	breakLine(s, w, func(a, b int, open, close string) {
		if open == "" && close == "" {
			out = append(out, s[a:b])
			return
		}
		out = append(out, open+s[a:b]+close)
	})
	return out
}

const sgrReset = "\x1b[m"

// breakLine calls emit for each line s wraps into: the bytes s[a:b], the SGR
// sequences to put before them and the reset to put after them.
func breakLine(s string, w int, emit func(a, b int, open, close string)) {
	var (
		start       int    // first byte of the line being filled
		startActive string // styles in effect at start
		active      string // styles in effect at i
		col         int    // cells used on the line
		text        bool   // the line holds something other than spaces
		brk         = -1   // byte after the last usable space of the line
		brkCol      int
		brkActive   string
	)
	closing := func(a string) string {
		if a == "" {
			return ""
		}
		return sgrReset
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == ansi.ESC {
			n := seqLen(s[i:])
			if seq := s[i : i+n]; isSGR(seq) {
				if isReset(seq) {
					active = ""
				} else {
					active += seq
				}
			}
			i += n
			continue
		}
		cl, cw := s[i:i+1], 1
		if c >= 0x80 {
			cl, cw = ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
		} else if c < 0x20 || c == 0x7f {
			cw = 0
		}
		if col+cw > w && col > 0 {
			if brk > start {
				emit(start, brk, startActive, closing(brkActive))
				start, startActive, col = brk, brkActive, col-brkCol
				text = col > 0
			} else {
				emit(start, i, startActive, closing(active))
				start, startActive, col, text = i, active, 0, false
			}
			brk = -1
			continue // the cluster is placed again on the new line
		}
		col += cw
		i += len(cl)
		if c == ' ' {
			if text {
				brk, brkCol, brkActive = i, col, active
			}
		} else {
			text = true
		}
	}
	emit(start, len(s), startActive, "")
}

// seqLen returns the length of the escape sequence s starts with (s[0] is ESC).
func seqLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then a final byte
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS: up to BEL or ST
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == ansi.ESC && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	return 2
}

func isSGR(seq string) bool {
	return len(seq) >= 3 && seq[1] == '[' && seq[len(seq)-1] == 'm'
}

func isReset(seq string) bool {
	p := seq[2 : len(seq)-1]
	return p == "" || p == "0"
}
