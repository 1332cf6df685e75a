package input

import (
	"math/bits"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
)

// Measuring a line as it is drawn: the units (ASCII bytes, grapheme
// clusters, escaped controls) and their display columns.

// unit measures the piece of text that starts at s[i] and is drawn as one:
// an ASCII byte, a grapheme cluster, or one character that is shown escaped.
// It returns the byte size, the width in cells at display column col, and,
// when the piece is not drawn as itself, what is drawn instead (a tab's
// blanks, "^[" for ESC, `\u009b` for a C1 control or a bidi override, U+FFFD
// for a byte that is not UTF-8). esc reports a control shown escaped.
func unit(s string, i, col int) (size, width int, shown string, esc bool) {
	c := s[i]
	printable := c >= 0x20 && c < 0x7f
	switch {
	case printable && (i+1 == len(s) || s[i+1] < 0x80):
		return 1, 1, "", false
	case c == '\t':
		w := tabWidth - col%tabWidth
		return 1, w, blanks[:w], false
	case c < 0x80 && !printable:
		e := sanitize.Line(s[i : i+1])
		return 1, len(e), e, true
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	if e := sanitize.Line(s[i : i+n]); e != s[i:i+n] {
		if e == "\uFFFD" {
			return n, 1, e, true
		}
		return n, len(e), e, true
	}
	// A printable ASCII character followed by more than ASCII (a combining
	// accent, say) may start a cluster; so does anything else.
	cluster, w := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
	// A cluster never reaches past a character the sanitiser would escape.
	for j := n; j < len(cluster); {
		_, m := utf8.DecodeRuneInString(cluster[j:])
		if c := cluster[j]; c < 0x20 || c == 0x7f || sanitize.Line(cluster[j:j+m]) != cluster[j:j+m] {
			cluster = cluster[:j]
			w = ansi.StringWidth(cluster)
			break
		}
		j += m
	}
	return len(cluster), max(w, 0), "", false
}

// unitStart is the start of the unit that holds byte off of line.
func unitStart(line string, off int) int {
	if off >= len(line) || line[off] < 0x80 {
		return min(off, len(line))
	}
	k := off
	for k > 0 && line[k-1] >= 0x80 {
		k--
	}
	if k > 0 && line[k-1] >= 0x20 && line[k-1] < 0x7f {
		k-- // the base of a combining sequence
	}
	for k < off {
		n, _, _, _ := unit(line, k, 0)
		if k+n > off {
			return k
		}
		k += n
	}
	return off
}

func prevUnit(line string, off int) int {
	switch {
	case off <= 0:
		return 0
	case line[off-1] < 0x80:
		return off - 1
	}
	return unitStart(line, off-1)
}

func nextUnit(line string, off int) int {
	if off >= len(line) {
		return len(line)
	}
	n, _, _, _ := unit(line, off, 0)
	return off + n
}

// asciiRun is the end of the printable ASCII at s[i:limit], each byte one
// unit of one cell. It reads 8 bytes at a time, so a long minified line is
// measured at memory speed. The last byte before a non-ASCII one is left out:
// it may be the base of a combining sequence.
func asciiRun(s string, i, limit int) int {
	limit = min(limit, len(s))
	k := i
	for k+8 <= limit {
		w := uint64(s[k]) | uint64(s[k+1])<<8 | uint64(s[k+2])<<16 | uint64(s[k+3])<<24 |
			uint64(s[k+4])<<32 | uint64(s[k+5])<<40 | uint64(s[k+6])<<48 | uint64(s[k+7])<<56
		// The high bit of a byte is set if it is < 0x20, 0x7f or >= 0x80;
		// carries only start at such a byte, so the lowest one is exact.
		if mask := (w | (w + ones) | (w - spaces)) & highs; mask != 0 {
			k += bits.TrailingZeros64(mask) >> 3
			break
		}
		k += 8
	}
	for k < limit && s[k] >= 0x20 && s[k] < 0x7f {
		k++
	}
	if k > i && k < len(s) && s[k] >= 0x80 {
		k--
	}
	return k
}

const (
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
	spaces = 0x2020202020202020
)

// displayCol is the display column at which byte off of line is drawn.
func displayCol(line string, off int) int {
	col := 0
	for i := 0; i < off && i < len(line); {
		if k := asciiRun(line, i, off); k > i {
			i, col = k, col+k-i
			continue
		}
		n, w, _, _ := unit(line, i, col)
		i, col = i+n, col+w
	}
	return col
}

// offsetAt is the start of the unit drawn at display column target, or the
// end of the line when the line is shorter.
func offsetAt(line string, target int) int {
	col := 0
	for i := 0; i < len(line); {
		if k := asciiRun(line, i, i+target-col); k > i {
			i, col = k, col+k-i
			continue
		}
		n, w, _, _ := unit(line, i, col)
		if col+w > target {
			return i
		}
		i, col = i+n, col+w
	}
	return len(line)
}
