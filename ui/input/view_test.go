package input

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/uitest"
)

const (
	sampleValid = `{
  "orderId": "A-1",
  "customer": {"id": 42, "name": "Zoë Müller"},
  "items": [
    {"sku": "BOOK-7", "qty": 2, "price": 12.5},
    {"sku": "PEN-1", "qty": 10, "price": 0.99}
  ],
  "express": true,
  "note": "a long note that does not fit in the narrow pane and is cut at its edge"
}`
	// line 4, col 32: a missing comma.
	sampleInvalid = `{
  "orderId": "A-1",
  "items": [
    {"sku": "BOOK-7", "qty": 2 "price": 12.5}
  ],
  "express": true
}`
)

// The sizes the root gives the pane at 80×24 and 120×40.
var goldenSizes = [][2]int{{56, 9}, {84, 15}}

func TestViewGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		for _, tc := range []struct{ name, text string }{{"valid", sampleValid}, {"invalid", sampleInvalid}} {
			t.Run(fmt.Sprintf("%dx%d_%s", sz[0], sz[1], tc.name), func(t *testing.T) {
				m, _ := newTestModel(t, sz[0], sz[1])
				m, _ = m.Update(msgs.LoadInput{Text: tc.text, Source: "run 12"})
				m = press(m, keyDown, keyDown, keyDown, keyEnd) // the cursor on line 4, scrolled
				golden.RequireEqual(t, ansi.Strip(m.View()))
			})
		}
	}
}

func TestViewGoldenBlurred(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.SetValue(sampleValid, "")
	m.Blur()
	golden.RequireEqual(t, ansi.Strip(m.View()))
}

func TestViewGoldenANSI(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.SetValue(sampleInvalid, "")
	m = press(m, keyDown, keyDown, keyDown)
	golden.RequireEqual(t, m.View())
}

func TestViewGoldenEscapes(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m, _ = m.Update(msgs.LoadInput{
		Text:   "{\n  \"a\": \"\x1b[2J\x1b]52;c;Zm9v\x07\",\n  \"b\": \"\u009b6n \u202eevil\",\n\t\"c\": \"\xfe\"\n}",
		Source: "run \x1b[5m9",
	})
	golden.RequireEqual(t, ansi.Strip(m.View()))
}

// TestBufferKeepsItsInvariants applies random edits and moves and checks
// that the size, the cursor and the text stay consistent.
func TestBufferKeepsItsInvariants(t *testing.T) {
	pieces := []string{"a", "{", "\n", "日本", "e\u0301", "\x1b", "\t", "\u202e", "\xff", " ", "\"k\": 1,\n  "}
	ops := []func(b *buffer){
		(*buffer).backspace, (*buffer).deleteForward, (*buffer).deleteWordBackward,
		(*buffer).deleteToLineEnd, (*buffer).deleteToLineStart, (*buffer).left, (*buffer).right,
		(*buffer).wordLeft, (*buffer).wordRight, (*buffer).lineStart, (*buffer).lineEnd,
		(*buffer).top, (*buffer).bottom,
		func(b *buffer) { b.vertical(1) }, func(b *buffer) { b.vertical(-1) }, func(b *buffer) { b.vertical(7) },
	}
	r := rand.New(rand.NewPCG(1, 2))
	b := newBuffer("")
	for i := 0; i < 20000; i++ {
		if r.IntN(3) == 0 {
			b.insert(pieces[r.IntN(len(pieces))])
		} else {
			ops[r.IntN(len(ops))](&b)
		}
		text := b.text()
		if b.size != len(text) {
			t.Fatalf("step %d: size %d, text has %d bytes", i, b.size, len(text))
		}
		if b.row < 0 || b.row >= len(b.lines) || b.col < 0 || b.col > len(b.line()) {
			t.Fatalf("step %d: cursor %d:%d outside the text", i, b.row, b.col)
		}
		if b.col != unitStart(b.line(), b.col) {
			t.Fatalf("step %d: cursor %d inside a unit of %q", i, b.col, b.line())
		}
	}
}

func TestViewNeverCutsAnEscapeOrWideCharacterIntoTheBorder(t *testing.T) {
	line := strings.Repeat("日\x1b\u009be\u0301\t", 30)
	m, _ := newTestModel(t, 30, 5)
	m.SetValue(line, "")
	for i := 0; i < 150; i++ {
		m = press(m, keyRight)
		for j, l := range strings.Split(m.View(), "\n") {
			if w := ansi.StringWidth(l); w != 30 {
				t.Fatalf("after %d moves, line %d is %d wide: %q", i+1, j, w, ansi.Strip(l))
			}
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 23: "23 B", 1023: "1023 B", 1024: "1 KiB",
		1228: "1.2 KiB", 1229: "1.3 KiB", 1 << 20: "1 MiB", 1<<20 + 1: "1.1 MiB", 3 << 19: "1.5 MiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestViewEscapesHostileText(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	m.SetFlow(uitest.Hostile)
	m.SetValue(`{"a": "`+uitest.Hostile+`"}`+"\n"+uitest.Hostile, uitest.Hostile)
	uitest.CheckTerminalSafe(t, "input", m.View())
	m = press(m, keyDown, keyEnd)
	uitest.CheckTerminalSafe(t, "input, cursor at the end", m.View())
}
