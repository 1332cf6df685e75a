package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	run := m.benches.start(m.backend, req, m.opts.History, started,
		bench.Config{N: n, Concurrency: 1, Rate: rate, Call: bench.SyncCall(m.backend, req)})
	m.inflight, m.flight, m.running, m.inputRan = id, run, f.Name, true
	m.status.SetRun(fmt.Sprintf("running %s %d times", f.Name, n), false)
	m.status.SetMessage("", false)
	m.c.Log.Debug("bench", "id", id, "flow", f.Name, "runs", n, "rate", rate)
	m.setFocus(paneResult)
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: info.Kind}, runCmd(id, run))
}

// Bounds of a bench's summary row: its write (a locked history delays the
// row, never the screen), and all Finish waits for at exit: the bench's end
// once stopped, then the write.
const (
	benchRecordTimeout = 2 * time.Second
	benchExitGrace     = bench.AbandonAfter + benchRecordTimeout + 500*time.Millisecond
)

// benches are the program's benches whose summary row is not written yet,
// shared by every copy of the model (as the Runner is), so that Finish,
// called once the program has ended, stops and records them: a quit or an
// interrupt in the middle of a bench keeps its row.
type benches struct {
	mu      sync.Mutex
	pending map[*benchFlight]bool
	exiting []*benchFlight // in flight when the user quit: Finish tells of them
}

func newBenches() *benches { return &benches{pending: map[*benchFlight]bool{}} }

// start registers a bench of req on b; its Wait runs it.
func (s *benches) start(b fnf.Backend, req fnf.SyncRequest, hs *history.Store, started time.Time, cfg bench.Config) *benchFlight {
	ctx, cancel := context.WithCancel(context.Background())
	f := &benchFlight{set: s, ctx: ctx, cancel: cancel, backend: b, req: req, hs: hs, start: started, cfg: cfg, done: make(chan struct{})}
	s.mu.Lock()
	s.pending[f] = true
	s.mu.Unlock()
	return f
}

// atExit notes the benches in flight as the user quits: stopped then, they
// may record themselves before Finish is called, and Finish still tells of
// them.
func (s *benches) atExit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.pending {
		s.exiting = append(s.exiting, f)
	}
}

// finish stops the benches not yet recorded and waits, at most
// benchExitGrace in all, for their rows: a bench whose command never ran is
// recorded here, with nothing run. It returns one line per bench for the
// terminal ("" when none was in flight).
func (s *benches) finish() string {
	s.mu.Lock()
	open := s.exiting
	s.exiting = nil // told once
	for f := range s.pending {
		if !slices.Contains(open, f) {
			open = append(open, f)
		}
	}
	s.mu.Unlock()
	deadline := time.Now().Add(benchExitGrace)
	var notes []string
	for _, f := range open {
		f.cancel()
		if f.claim() {
			f.run()
		}
		select {
		case <-f.done:
			notes = append(notes, f.exitNote())
		case <-time.After(time.Until(deadline)):
			notes = append(notes, "the bench of "+f.req.FlowName+" was still being recorded at exit: it may be missing from the history")
		}
	}
	return strings.Join(notes, "\n")
}

// benchFlight is a bench as a run in flight (session.Run): Wait runs it and
// records its summary row, unless Finish did; Stop (esc, quit, a backend
// change) cuts the calls under way, and what completed is recorded.
type benchFlight struct {
	set     *benches
	ctx     context.Context
	cancel  context.CancelFunc
	backend fnf.Backend
	req     fnf.SyncRequest
	cfg     bench.Config
	hs      *history.Store // nil: nothing is recorded
	start   time.Time

	claimed bool          // run by Wait or Finish; under set.mu
	done    chan struct{} // closed once the row is written (or given up)
	out     session.Outcome
	runs    int // runs counted; once done is closed
}

func (b *benchFlight) Stop(time.Time) { b.cancel() }

// Wait runs the bench and records it; false when Finish did first (the
// program is ending, nobody reads it).
func (b *benchFlight) Wait() (session.Outcome, bool) {
	if !b.claim() {
		return session.Outcome{}, false
	}
	b.run()
	return b.out, true
}

// claim makes the caller the one that runs and records b.
func (b *benchFlight) claim() bool {
	b.set.mu.Lock()
	defer b.set.mu.Unlock()
	if b.claimed {
		return false
	}
	b.claimed = true
	return true
}

// run runs the bench (at once over when stopped before) and writes its
// summary row, stopped or not, then leaves the pending set.
func (b *benchFlight) run() {
	defer b.finished()
	defer b.cancel()
	rep := bench.Run(b.ctx, b.cfg)
	b.runs = rep.Runs
	row := history.FromBench(b.backend.Info(), b.req, b.start, rep.Summarize(b.req.FlowName, b.backend.Info(), b.cfg))
	var err error
	if b.hs != nil {
		// Recorded when stopped too; the context of the write is not the
		// bench's, which the stop ended.
		row.ID, err = session.AddWithin(context.Background(), b.hs, row, benchRecordTimeout)
	}
	b.out = session.Outcome{Row: row, RowErr: err}
}

func (b *benchFlight) finished() {
	b.set.mu.Lock()
	delete(b.set.pending, b)
	b.set.mu.Unlock()
	close(b.done)
}

// exitNote says what became of a bench that ended with the program.
func (b *benchFlight) exitNote() string {
	s := fmt.Sprintf("the bench of %s: %s after %s", b.req.FlowName, b.out.Row.Status, count(b.runs, "run", "runs"))
	switch {
	case b.out.RowErr != nil:
		s += "; not recorded in the history: " + b.out.RowErr.Error()
	case b.out.Row.ID != 0:
		s += fmt.Sprintf("; recorded in the history as run %d", b.out.Row.ID)
	}
	return s
}
