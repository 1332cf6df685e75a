package runs

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

// now is the tests' clock: 15:30 on 14 March 2026, in a fixed zone 8 hours
// east of UTC, so "local time" differs from the UTC times runs carry.
var now = time.Date(2026, 3, 14, 15, 30, 0, 0, time.FixedZone("CST", 8*3600))

func newTestModel(t testing.TB, w, h int) Model {
	t.Helper()
	c := common.New(theme.New(true, false))
	c.Now = func() time.Time { return now }
	m := New(c)
	m.SetSize(w, h)
	m.Focus()
	return m
}

// sampleRuns is a small history of order-flow, newest first.
func sampleRuns() []msgs.RunView {
	at := func(d time.Duration) time.Time { return now.Add(-d).UTC() }
	return []msgs.RunView{
		{Run: history.Run{ID: 6, FlowName: "order-flow", RequestedName: "smoke", Name: "smoke:3f2a8c1e-4b5d-4e6f-8a9b-0c1d2e3f4a5b", Status: "Succeeded",
			ClientStart: at(5 * time.Minute), StartedTime: at(5 * time.Minute), StoppedTime: at(5*time.Minute - 132*time.Millisecond)}},
		{Run: history.Run{ID: 5, FlowName: "order-flow", Name: "9b7c6d5e-1a2b-4c3d-9e8f-7a6b5c4d3e2f", Status: "Failed",
			ClientStart: at(time.Hour), Latency: 2400 * time.Millisecond}},
		{Run: history.Run{ID: 4, FlowName: "order-flow", Name: "retry-run:1a2b3c4d-1a2b-4c3d-9e8f-7a6b5c4d3e2f", Status: "TimedOut",
			ClientStart: at(2 * time.Hour), Latency: 42 * time.Second, Pinned: true}},
		{Run: history.Run{ID: 3, FlowName: "order-flow", Name: "cancelled", Status: "Cancelled", ClientStart: at(3 * time.Hour), Latency: 3*time.Minute + 5*time.Second}},
		{Run: history.Run{ID: 2, FlowName: "order-flow", Name: "net", Status: "Error", ErrorCode: "ConnectionRefused", ClientStart: at(26 * time.Hour), Latency: 800 * time.Microsecond}},
		{Run: history.Run{ID: 1, FlowName: "order-flow", Name: "first", Status: "Succeeded", ClientStart: at(30 * 24 * time.Hour), Latency: 18 * time.Millisecond}},
	}
}

func manyRuns(n int) []msgs.RunView {
	runs := make([]msgs.RunView, n)
	for i := range runs {
		start := now.Add(-time.Duration(i) * time.Minute)
		runs[i] = msgs.RunView{
			Run: history.Run{ID: int64(n - i), FlowName: "order-flow", Name: fmt.Sprintf("run-%06d:3f2a8c1e-4b5d-4e6f-8a9b-0c1d2e3f4a5b", n-i),
				Status: fnf.StatusSucceeded, ClientStart: start, StartedTime: start, StoppedTime: start.Add(132 * time.Millisecond),
			},
		}
	}
	return runs
}

// shown returns a model showing runs of order-flow.
func shown(t testing.TB, m Model, runs []msgs.RunView) Model {
	t.Helper()
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: runs})
	return m
}

func press(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

func typed(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: []rune(s)[0], Text: s} }

// send presses keys and returns the messages the last one emitted.
func send(m Model, ks ...tea.KeyPressMsg) (Model, tea.Msg) {
	var out tea.Msg
	for _, k := range ks {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		out = nil
		if cmd != nil {
			out = cmd()
		}
	}
	return m, out
}

func selectedID(t testing.TB, m Model) int64 {
	t.Helper()
	v, ok := m.Selected()
	if !ok {
		t.Fatal("no run selected")
	}
	return v.ID
}
