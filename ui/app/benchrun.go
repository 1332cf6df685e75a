package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
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
	items := []palette.Item{
		{ID: "10", Title: "10 times"},
		{ID: "100", Title: "100 times"},
		{ID: "1000", Title: "1000 times"},
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
	ctx, cancel := context.WithCancel(context.Background())
	run := &benchFlight{ctx: ctx, cancel: cancel, backend: m.backend, req: req, hs: m.opts.History, start: started,
		cfg: bench.Config{N: n, Concurrency: 1, Rate: rate, Call: bench.SyncCall(m.backend, req)}}
	m.inflight, m.flight, m.running, m.inputRan = id, run, f.Name, true
	m.status.SetRun(fmt.Sprintf("running %s %d times", f.Name, n), false)
	m.status.SetMessage("", false)
	m.c.Log.Debug("bench", "id", id, "flow", f.Name, "runs", n, "rate", rate)
	m.setFocus(paneResult)
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: info.Kind}, runCmd(id, run))
}

// benchFlight is a bench as a run in flight (session.Run): Wait runs it and
// records its summary row; Stop (esc, quit, a backend change) cuts the
// calls under way, and Wait then reports what completed.
type benchFlight struct {
	ctx     context.Context
	cancel  context.CancelFunc
	backend fnf.Backend
	req     fnf.SyncRequest
	cfg     bench.Config
	hs      *history.Store // nil: nothing is recorded
	start   time.Time
}

func (b *benchFlight) Stop(time.Time) { b.cancel() }

func (b *benchFlight) Wait() (session.Outcome, bool) {
	defer b.cancel()
	rep := bench.Run(b.ctx, b.cfg)
	row := history.FromBench(b.backend.Info(), b.req, b.start, rep.Summarize(b.req.FlowName, b.backend.Info(), b.cfg))
	var err error
	if b.hs != nil {
		// Recorded when stopped too, within the grace a stopped run gets.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		row.ID, err = b.hs.Add(ctx, row)
		cancel()
	}
	return session.Outcome{Row: row, RowErr: err}, true
}
