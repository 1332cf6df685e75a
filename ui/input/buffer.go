package input

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
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
