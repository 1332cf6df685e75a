package session

import (
	"context"
	"fmt"
	"time"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/human"
)

// Bounds of a bench's summary row: its write (a locked history delays the
// row, never the screen), and what Finish gives a bench at exit: its end
// once stopped (bench.AbandonAfter), then the write.
const (
	benchRecordTimeout = 2 * time.Second
	benchExitGrace     = bench.AbandonAfter + benchRecordTimeout + 500*time.Millisecond
)

// benchFlight is a bench (flowtui bench's runs, from the TUI) as a run in
// flight: Wait runs it and records its one summary row, unless Finish did;
// Stop (esc, quit, a backend change) cuts the calls under way, and what
// completed is recorded.
type benchFlight struct {
	s       *Session
	ctx     context.Context
	cancel  context.CancelFunc
	backend fnf.Backend
	req     fnf.SyncRequest
	cfg     bench.Config
	start   time.Time

	claimed bool          // run by Wait or Finish; under s.mu
	done    chan struct{} // closed once the row is written (or given up)
	out     Outcome
	runs    int // runs counted; once done is closed
}

// StartBench registers a bench of req on b (cfg's calls), started at
// start; Wait runs it. Its summary row is written even when the program
// ends in the middle (Finish).
func (s *Session) StartBench(b fnf.Backend, req fnf.SyncRequest, cfg bench.Config, start time.Time) Run {
	ctx, cancel := context.WithCancel(context.Background())
	f := &benchFlight{s: s, ctx: ctx, cancel: cancel, backend: b, req: req, cfg: cfg, start: start, done: make(chan struct{})}
	s.inFlight(f)
	return f
}

func (b *benchFlight) Stop(time.Time) { b.cancel() }

// Wait runs the bench and records it; false when Finish did first (the
// program is ending, nobody reads it).
func (b *benchFlight) Wait() (Outcome, bool) {
	if !b.s.claim(&b.claimed) {
		return Outcome{}, false
	}
	b.run()
	return b.out, true
}

// run runs the bench (at once over when stopped before) and writes its
// summary row, stopped or not, then leaves the pending runs.
func (b *benchFlight) run() {
	defer b.s.finished(b, b.done)
	defer b.cancel()
	rep := bench.Run(b.ctx, b.cfg)
	b.runs = rep.Runs
	row := history.FromBench(b.backend.Info(), b.req, b.start, rep.Summarize(b.req.FlowName, b.backend.Info(), b.cfg))
	var err error
	if b.s.hist != nil {
		// Recorded when stopped too; the context of the write is not the
		// bench's, which the stop ended.
		row.ID, err = AddWithin(context.Background(), b.s.hist, row, benchRecordTimeout)
	}
	b.out = Outcome{Row: row, RowErr: err}
}

// finish records a bench the program ends in the middle of: stopped, it
// is run (to its end at once) here unless its command runs it, and its row
// waited for, within the bench's own grace.
func (b *benchFlight) finish(time.Time) string {
	if b.s.claim(&b.claimed) {
		b.run()
	}
	select {
	case <-b.done:
	case <-time.After(benchExitGrace):
		return "the bench of " + b.req.FlowName + " was still being recorded at exit: it may be missing from the history"
	}
	s := fmt.Sprintf("the bench of %s: %s after %s", b.req.FlowName, b.out.Row.Status, human.Count(b.runs, "run", "runs"))
	switch {
	case b.out.RowErr != nil:
		s += "; not recorded in the history: " + b.out.RowErr.Error()
	case b.out.Row.ID != 0:
		s += fmt.Sprintf("; recorded in the history as run %d", b.out.Row.ID)
	}
	return s
}
