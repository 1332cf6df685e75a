package app

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/palette"
)

// kindBench is the palette list that asks how many times to run the flow.
const kindBench = "bench"

// maxBenchRuns bounds a bench started from the palette: it runs one call
// at a time while the user waits, and a larger one belongs to the command.
const maxBenchRuns = 10_000

// openBenchCount asks how many times to run the selected flow.
func (m *Model) openBenchCount() {
	// The presets are words: digits typed are a count of their own, never a
	// filter that a preset holding them ("10 times" for "1") would match.
	items := []palette.Item{
		{ID: "10", Title: "ten times"},
		{ID: "100", Title: "a hundred times"},
		{ID: "1000", Title: "a thousand times"},
		{Typed: true, Title: "Run it this many times:"},
	}
	m.pick.Open(kindBench, "Run "+m.flow.Name+" how many times? (type a count)", items)
}

// benchCount reads the count chosen or typed.
func benchCount(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxBenchRuns {
		return 0, fmt.Errorf("%q is not a count of runs from 1 to %d", s, maxBenchRuns)
	}
	return n, nil
}

// startBench runs the selected Express flow n times with the editor's input,
// one call at a time (within the Express quota against the cloud), as a
// run in flight: esc stops it, and what completed is shown. The Timing tab
// shows the statistics; one summary row goes to the history.
func (m Model) startBench(choice string) (tea.Model, tea.Cmd) {
	n, err := benchCount(choice)
	f := m.flow
	why := m.cannotRun(f)
	switch {
	case err != nil:
		m.status.SetMessage(err.Error(), true)
		return m, nil
	case why != "":
		m.status.SetMessage(why, true)
		return m, nil
	case f.Mode() != fnf.ModeExpress:
		m.status.SetMessage(f.Name+" is a Standard flow: only Express flows are run many times", true)
		return m, nil
	}
	id, ok := m.newRun()
	if !ok {
		return m, nil
	}
	info := m.backend.Info()
	rate, _ := bench.CloudRate(0, info.Kind == fnf.KindCloud && !m.atEndpoint())
	req := fnf.SyncRequest{FlowName: f.Name, Input: m.input.Value(), TestCase: m.testCases[f.Name]}
	started := m.opts.Now()
	run := m.runner.StartBench(m.backend, req, bench.Config{N: n, Concurrency: 1, Rate: rate, Call: bench.SyncCall(m.backend, req)}, started)
	m.inflight, m.flight, m.running, m.inputRan, m.benching = id, run, f.Name, true, true
	m.status.SetRun(fmt.Sprintf("running %s %d times", f.Name, n), false)
	m.status.SetMessage("", false)
	m.c.Log.Debug("bench", "id", id, "flow", f.Name, "runs", n, "rate", rate)
	m.setFocus(paneResult)
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: info.Kind}, runCmd(id, run))
}
