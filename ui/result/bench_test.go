package result

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/theme"
)

// loaded1MiB is a pane at w×h showing a run whose output is 1 MiB of JSON
// (just at the highlighting limit), already formatted.
func loaded1MiB(b *testing.B, w, h int) Model {
	run := sampleRun()
	run.Output = bigOutput(HighlightLimit)
	m := showing(b, newTestModel(b, w, h), run)
	if m.busy[tabOutput] != 0 || m.pages[tabOutput].len() < 10000 {
		b.Fatalf("output not prepared: %d lines", m.pages[tabOutput].len())
	}
	return m
}

// BenchmarkOutputScroll1MiB is one keypress (down) and the frame after it,
// with a 1 MiB output loaded (budget in BENCHMARKS.md: ≤ 2 ms for the whole
// screen).
func BenchmarkOutputScroll1MiB(b *testing.B) {
	m := loaded1MiB(b, 140, 40)
	down, top := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: 'g', Text: "g"}
	i := 0
	for b.Loop() {
		if i++; i%20000 == 0 {
			m, _ = m.Update(top)
		}
		m, _ = m.Update(down)
		_ = m.View()
	}
}

// BenchmarkOutputPageDown1MiBSearch is a page down and the frame after it,
// with a search's matches highlighted.
func BenchmarkOutputPageDown1MiBSearch(b *testing.B) {
	m := loaded1MiB(b, 140, 40)
	m, _ = press(b, m, "/")
	m = typeText(b, m, "sku-00")
	m, _ = press(b, m, "enter")
	pg, top := tea.KeyPressMsg{Code: tea.KeyPgDown}, tea.KeyPressMsg{Code: 'g', Text: "g"}
	i := 0
	for b.Loop() {
		if i++; i%1000 == 0 {
			m, _ = m.Update(top)
		}
		m, _ = m.Update(pg)
		_ = m.View()
	}
}

// BenchmarkResize1MiB is a resize and the frame after it: nothing is
// re-wrapped but the lines shown.
func BenchmarkResize1MiB(b *testing.B) {
	m := loaded1MiB(b, 140, 40)
	i := 0
	for b.Loop() {
		i++
		m.SetSize(100+i%60, 40)
		_ = m.View()
	}
}

// BenchmarkPrepareOutput1MiB is the command that formats a 1 MiB output:
// pretty-print, sanitise, highlight, split into lines (informative: it runs
// off the event loop).
func BenchmarkPrepareOutput1MiB(b *testing.B) {
	st := theme.New(true, false)
	raw := bigOutput(HighlightLimit)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		_ = outputPage(st, raw)
	}
}

// BenchmarkSearch1MiB is the command that finds a word in a 1 MiB output and
// highlights its hits (informative).
func BenchmarkSearch1MiB(b *testing.B) {
	st := theme.New(true, false)
	p := outputPage(st, bigOutput(HighlightLimit)).page
	for b.Loop() {
		_ = findMatches(st, 1, "sku-00", p.lines, p.plain)
	}
}
