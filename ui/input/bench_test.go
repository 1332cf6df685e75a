package input

import (
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// BenchmarkInputTypeChar is one key press and one View at 84×15 (the pane at
// 120×40), typing and deleting in turn so the text stays the same size.
// Budget (BENCHMARKS.md): 2 ms for a whole frame.
func BenchmarkInputTypeChar(b *testing.B) {
	cases := []struct {
		name string
		text string
		mid  bool // put the cursor in the middle of the text
	}{
		{"100lines", jsonLines(100), true},
		{"1MiB_pretty", jsonBytes(fnf.MaxInputBytes, true), true},
		{"1MiB_one_line", jsonBytes(fnf.MaxInputBytes, false), false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			m, _ := newTestModel(b, 84, 15)
			m.SetValue(tc.text, "")
			if tc.mid {
				m.buf.row = len(m.buf.lines) / 2
				m.buf.col = 4
				m.scroll()
			}
			keys := [2]keyMsg{char('x'), keyBackspace}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m, _ = m.Update(keys[i%2])
				_ = m.View()
			}
		})
	}
}

// BenchmarkInputMoveCursor is a cursor move and View at the end of a 1 MiB
// one-line input: the worst case, as the cursor's column is counted from the
// start of its line.
func BenchmarkInputMoveCursorLongLine(b *testing.B) {
	m, _ := newTestModel(b, 84, 15)
	m.SetValue(jsonBytes(fnf.MaxInputBytes, false), "")
	m = press(m, keyEnd)
	keys := [2]keyMsg{keyLeft, keyRight}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, _ = m.Update(keys[i%2])
		_ = m.View()
	}
}

// BenchmarkInputCheck1MiB is the deferred check of a 1 MiB text (run in a
// command after a pause in typing), for reference.
func BenchmarkInputCheck1MiB(b *testing.B) {
	text := jsonBytes(fnf.MaxInputBytes, true)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		_ = checkCmd(1, text)()
	}
}

// BenchmarkInputSetValue1MiB is loading a 1 MiB input (split and check).
func BenchmarkInputSetValue1MiB(b *testing.B) {
	m, _ := newTestModel(b, 84, 15)
	text := jsonBytes(fnf.MaxInputBytes, true)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.SetValue(text, "")
	}
}

// BenchmarkInputUnbracketedPaste50KiB is a 50 KiB paste that arrives as one
// key message per character, as a terminal without bracketed paste sends it
// (a newline as enter). The pane is drawn after every key ("every_key", as
// Bubble Tea calls View after every message), or at most 60 times a second
// ("60fps", as the program's frame throttle draws it). One iteration is the
// whole paste; the target is well under a second.
func BenchmarkInputUnbracketedPaste50KiB(b *testing.B) {
	for _, shape := range []struct {
		name   string
		pretty bool
	}{{"pretty", true}, {"one_line", false}} {
		text := jsonBytes(50<<10, shape.pretty)
		keys := make([]keyMsg, 0, len(text))
		for _, r := range text {
			k := char(r)
			if r == '\n' {
				k = keyEnter
			}
			keys = append(keys, k)
		}
		for _, rate := range []struct {
			name  string
			every time.Duration
		}{{"every_key", 0}, {"60fps", time.Second / 60}} {
			b.Run(shape.name+"/"+rate.name, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					m, _ := newTestModel(b, 84, 15)
					m.SetValue("", "")
					var drawn time.Time
					for _, k := range keys {
						m, _ = m.Update(k)
						if now := time.Now(); now.Sub(drawn) >= rate.every {
							_, drawn = m.View(), now
						}
					}
					if m.Value() != text {
						b.Fatal("the paste did not land as sent")
					}
				}
			})
		}
	}
}
