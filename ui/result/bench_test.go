package result

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
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

// standard5000 is a finished Standard run of 5,000 events (the service's
// most): a Map of about 600 iterations, each a Task, one in ten retried.
func standard5000(b *testing.B) msgs.RunView {
	run := standardRun()
	run.Events = bigHistory(5000)
	run.Status = fnf.StatusSucceeded
	if len(run.Events) < 4990 || len(run.Events) > 5000 {
		b.Fatalf("%d events", len(run.Events))
	}
	return run
}

// BenchmarkTraceRender5000Events is the Trace tab of an execution with 5,000
// events from nothing to its first frame: the timeline built (in the
// command, off the event loop) and the rows shown rendered (budget in
// BENCHMARKS.md: ≤ 50 ms).
func BenchmarkTraceRender5000Events(b *testing.B) {
	run := standard5000(b)
	m := newTestModel(b, 120, 40)
	m.tab = tabTrace
	for b.Loop() {
		r := tracePage(run, "")
		m.trace = traceState{}
		m.setTimeline(r.tl)
		_ = m.View()
	}
}

// BenchmarkTraceScroll5000Events is one keypress (down) in the Trace tab of
// an execution with 5,000 events, and the frame after it (budget: ≤ 2 ms).
func BenchmarkTraceScroll5000Events(b *testing.B) {
	m := showing(b, newTestModel(b, 120, 40), standard5000(b))
	m, _ = press(b, m, "4")
	if len(m.trace.view.Lines) < 1000 {
		b.Fatalf("%d rows", len(m.trace.view.Lines))
	}
	down, top := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: 'g', Text: "g"}
	i := 0
	for b.Loop() {
		if i++; i%1000 == 0 {
			m, _ = m.Update(top)
		}
		m, _ = m.Update(down)
		_ = m.View()
	}
}

// BenchmarkTraceFoldAll5000Events is O (fold every row, then unfold them)
// and the frame after it, with 5,000 events.
func BenchmarkTraceFoldAll5000Events(b *testing.B) {
	m := showing(b, newTestModel(b, 120, 40), standard5000(b))
	m, _ = press(b, m, "4")
	fold := tea.KeyPressMsg{Code: 'O', Text: "O"}
	for b.Loop() {
		m, _ = m.Update(fold)
		_ = m.View()
	}
}

// BenchmarkTraceProgress5000Events is a live run's progress bringing one
// more event to a timeline of about 5,000, and the frame after it: what a
// followed execution costs the event loop per event.
func BenchmarkTraceProgress5000Events(b *testing.B) {
	all := standard5000(b).Events
	m := newTestModel(b, 120, 40)
	m, _ = send(b, m, msgs.RunStarted{ID: 9, Flow: "refund-approval"})
	progress := func(n int) {
		m, _ = m.Update(msgs.RunProgress{ID: 9, View: msgs.RunView{Run: history.Run{Status: fnf.StatusRunning}, Events: all[:n]}})
	}
	progress(len(all) - 200)
	n := len(all) - 200
	for b.Loop() {
		if n++; n > len(all) {
			b.StopTimer()
			m.trace = traceState{}
			n = len(all) - 200
			progress(n)
			b.StartTimer()
			continue
		}
		progress(n)
		_ = m.View()
	}
}
