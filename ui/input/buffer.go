package input

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/sanitize"
)

// tabWidth is the distance between tab stops when a tab in the text is shown.
const tabWidth = 4

const blanks = "                " // at least tabWidth spaces

// buffer is the text being edited, one string per line, and the cursor. Every
// operation costs at most the length of the lines it touches (plus a copy of
// the line headers when lines are added or removed), never the whole text, so
// a 1 MiB input edits as fast as a small one.
//
// The line slice is shared by copies of a Model; as with any Bubble Tea model,
// use the Model that Update returns.
type buffer struct {
	lines    []string
	row, col int // cursor: line index, byte offset in the line at a unit start
	goal     int // display column kept by vertical moves; -1 when unset
	size     int // bytes of the text, newlines included
	cx       cursorX
	grow     []byte // the storage of a long line being typed at its end; see appendLine
}

// cursorX caches the cursor's display column, which scrolling needs after
// every key: typed ASCII moves it on without measuring the line again, so
// typing at the end of a 50 KiB line costs no more than on a short one.
type cursorX struct {
	row, col, x int
	ok          bool
}

// cursorCol is the display column of the cursor.
func (b *buffer) cursorCol() int {
	if c := b.cx; c.ok && c.row == b.row && c.col == b.col {
		return c.x
	}
	b.cx = cursorX{row: b.row, col: b.col, x: displayCol(b.line(), b.col), ok: true}
	return b.cx.x
}

func newBuffer(text string) buffer {
	return buffer{lines: strings.Split(text, "\n"), goal: -1, size: len(text)}
}

func (b *buffer) text() string { return strings.Join(b.lines, "\n") }

func (b *buffer) line() string { return b.lines[b.row] }

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

// insert puts s (which may hold newlines) at the cursor and moves the cursor
// after it.
func (b *buffer) insert(s string) {
	line := b.line()
	head, tail := line[:b.col], line[b.col:]
	// Printable ASCII after ASCII starts new units one cell each: the
	// cursor's column moves by its length.
	c := b.cx
	b.cx.ok = c.ok && c.row == b.row && c.col == b.col && isPrintableASCII(s) && (b.col == 0 || line[b.col-1] < 0x80)
	if !strings.Contains(s, "\n") {
		if tail == "" && len(line)+len(s) > growFrom {
			b.appendLine(s)
		} else {
			b.lines[b.row] = head + s + tail
		}
		b.col += len(s)
		b.cx.col, b.cx.x = b.col, c.x+len(s)
	} else {
		parts := strings.Split(s, "\n")
		last := len(parts) - 1
		parts[0] = head + parts[0]
		b.col = len(parts[last])
		parts[last] += tail
		b.lines = slices.Replace(b.lines, b.row, b.row+1, parts...)
		b.row += last
	}
	b.size += len(s)
	b.goal = -1
}

// growFrom is the line length from which typing at the end of a line
// appends in place instead of copying the line.
const growFrom = 1024

// appendLine appends s to the cursor line in amortised O(len(s)), as
// strings.Builder does: the line is a string over b.grow, and appending only
// writes past the bytes that this string, or any earlier one over the same
// storage, covers. Copying the line instead made a 50 KiB one-line paste
// arriving key by key cost 1.4 GB of copies.
func (b *buffer) appendLine(s string) {
	line := b.lines[b.row]
	if len(b.grow) != len(line) || len(line) == 0 || unsafe.StringData(line) != unsafe.SliceData(b.grow) {
		b.grow = append(make([]byte, 0, 2*(len(line)+len(s))), line...)
	}
	b.grow = append(b.grow, s...)
	b.lines[b.row] = unsafe.String(unsafe.SliceData(b.grow), len(b.grow))
}

// cut removes bytes [from, to) of the cursor line and puts the cursor at from.
func (b *buffer) cut(from, to int) {
	line := b.line()
	b.lines[b.row] = line[:from] + line[to:]
	b.size -= to - from
	b.col, b.goal = from, -1
	b.cx.ok = false
}

// joinNext joins the line below to the cursor line.
func (b *buffer) joinNext() {
	if b.row >= len(b.lines)-1 {
		return
	}
	b.lines[b.row] += b.lines[b.row+1]
	b.lines = slices.Delete(b.lines, b.row+1, b.row+2)
	b.size--
	b.goal = -1
	b.cx.ok = false
}

// isPrintableASCII reports whether s is printable ASCII only.
func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func (b *buffer) backspace() {
	if b.col > 0 {
		b.cut(prevUnit(b.line(), b.col), b.col)
		return
	}
	if b.row > 0 {
		b.row--
		b.col = len(b.line())
		b.joinNext()
	}
}

func (b *buffer) deleteForward() {
	if b.col < len(b.line()) {
		b.cut(b.col, nextUnit(b.line(), b.col))
		return
	}
	b.joinNext()
}

func (b *buffer) deleteWordBackward() {
	if b.col == 0 {
		b.backspace()
		return
	}
	b.cut(wordLeft(b.line(), b.col), b.col)
}

func (b *buffer) deleteToLineEnd() {
	if b.col == len(b.line()) {
		b.joinNext()
		return
	}
	b.cut(b.col, len(b.line()))
}

func (b *buffer) deleteToLineStart() {
	if b.col == 0 {
		b.backspace()
		return
	}
	b.cut(0, b.col)
}

func (b *buffer) left() {
	b.goal = -1
	if b.col > 0 {
		b.col = prevUnit(b.line(), b.col)
	} else if b.row > 0 {
		b.row--
		b.col = len(b.line())
	}
}

func (b *buffer) right() {
	b.goal = -1
	if b.col < len(b.line()) {
		b.col = nextUnit(b.line(), b.col)
	} else if b.row < len(b.lines)-1 {
		b.row, b.col = b.row+1, 0
	}
}

// vertical moves the cursor n lines down (up when n < 0), keeping its
// display column where the line is long enough.
func (b *buffer) vertical(n int) {
	if b.goal < 0 {
		b.goal = displayCol(b.line(), b.col)
	}
	b.row = max(0, min(len(b.lines)-1, b.row+n))
	b.col = offsetAt(b.line(), b.goal)
}

func (b *buffer) wordLeft() {
	b.goal = -1
	if b.col == 0 {
		b.left()
		return
	}
	b.col = wordLeft(b.line(), b.col)
}

func (b *buffer) wordRight() {
	b.goal = -1
	if b.col == len(b.line()) {
		b.right()
		return
	}
	b.col = wordRight(b.line(), b.col)
}

func (b *buffer) lineStart()                 { b.col, b.goal = 0, -1 }
func (b *buffer) lineEnd()                   { b.col, b.goal = len(b.line()), -1 }
func (b *buffer) top()                       { b.row, b.col, b.goal = 0, 0, -1 }
func (b *buffer) bottom()                    { b.row = len(b.lines) - 1; b.lineEnd() }
func isWord(r rune) bool                     { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
func runeBefore(s string, i int) (rune, int) { return utf8.DecodeLastRuneInString(s[:i]) }

// wordLeft is the start of the word before off (skipping what is not a word).
func wordLeft(s string, off int) int {
	for off > 0 {
		if r, n := runeBefore(s, off); !isWord(r) {
			off -= n
			continue
		}
		break
	}
	for off > 0 {
		if r, n := runeBefore(s, off); isWord(r) {
			off -= n
			continue
		}
		break
	}
	return unitStart(s, off)
}

// wordRight is the end of the word after off (skipping what is not a word).
func wordRight(s string, off int) int {
	for off < len(s) {
		if r, n := utf8.DecodeRuneInString(s[off:]); !isWord(r) {
			off += n
			continue
		}
		break
	}
	for off < len(s) {
		if r, n := utf8.DecodeRuneInString(s[off:]); isWord(r) {
			off += n
			continue
		}
		break
	}
	return unitStart(s, off)
}
