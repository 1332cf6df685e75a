package input

import (
	"testing"

	"github.com/flowtui/flowtui/client"
)

// BenchmarkInputTypeChar is one key press and one View at 84×15 (the pane at
// 120×40), typing and deleting in turn so the text stays the same size.
// Budget: DESIGN §10, 2 ms for a whole frame.
func BenchmarkInputTypeChar(b *testing.B) {
	cases := []struct {
		name string
		text string
		mid  bool // put the cursor in the middle of the text
	}{
		{"100lines", jsonLines(100), true},
		{"1MiB_pretty", jsonBytes(client.MaxInputBytes, true), true},
		{"1MiB_one_line", jsonBytes(client.MaxInputBytes, false), false},
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
	m.SetValue(jsonBytes(client.MaxInputBytes, false), "")
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
	text := jsonBytes(client.MaxInputBytes, true)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		_ = checkCmd(1, text)()
	}
}

// BenchmarkInputSetValue1MiB is loading a 1 MiB input (split and check).
func BenchmarkInputSetValue1MiB(b *testing.B) {
	m, _ := newTestModel(b, 84, 15)
	text := jsonBytes(client.MaxInputBytes, true)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.SetValue(text, "")
	}
}
