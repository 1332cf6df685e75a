package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// recordTimeout bounds a run's history write: a locked or stuck database
// file may delay the row, never the screen.
var recordTimeout = 5 * time.Second

// exitGrace bounds what Finish waits for at exit: first the stopped call's
// return, then the write of what is still unrecorded. An interrupted run is
// still recorded, but the exit is not held up for long.
var exitGrace = 2 * time.Second

// flights are the runs started and not yet recorded. They are shared by the
// model's copies and the commands making the calls, so that Finish, called
// on the model New returned once the program has ended, finds them.
type flights struct {
	mu      sync.Mutex
	pending map[int64]*flight
	exiting []*flight // in flight when the user quit: Finish tells of them
}

// atExit notes the runs in flight as the user quits: they may record
// themselves before Finish runs, and Finish still tells of them.
func (fs *flights) atExit() {
	if fs == nil {
		return
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range fs.pending {
		fs.exiting = append(fs.exiting, f)
	}
}

func newFlights() *flights { return &flights{pending: map[int64]*flight{}} }

// flight is one run: its call and the history row it gets, once, from
// whichever comes first, the call's return or Finish.
type flight struct {
	id      int64
	backend fnf.Backend
	hist    *history.Store
	req     fnf.SyncRequest
	start   time.Time // the start shown on screen: the history holds the duration shown
	now     func() time.Time
	ctx     context.Context
	cancel  context.CancelCauseFunc

	owner   *flights
	claimed bool          // the row is being written; under owner.mu
	done    chan struct{} // closed once the row is written (or is not to be)
	rec     history.Run   // the row written, once done is closed
	herr    error         // why it was not written
	sent    bool          // the call reached the service: a run, recorded
}

// start registers run id; its command makes the call.
func (fs *flights) start(id int64, b fnf.Backend, h *history.Store, req fnf.SyncRequest, start time.Time, now func() time.Time) *flight {
	ctx, cancel := context.WithCancelCause(context.Background())
	f := &flight{id: id, backend: b, hist: h, req: req, start: start, now: now, ctx: ctx, cancel: cancel,
		owner: fs, done: make(chan struct{})}
	fs.mu.Lock()
	fs.pending[id] = f
	fs.mu.Unlock()
	return f
}

// claim makes the caller the one that records f; false when another does.
func (f *flight) claim() bool {
	f.owner.mu.Lock()
	defer f.owner.mu.Unlock()
	if f.claimed {
		return false
	}
	f.claimed = true
	return true
}

// finished ends f's bookkeeping once its row is written.
func (f *flight) finished() {
	f.owner.mu.Lock()
	delete(f.owner.pending, f.id)
	f.owner.mu.Unlock()
	close(f.done)
}

// cmd makes the call and records it, whatever happened, unless Finish
// recorded it first (the program is ending; nobody reads the message).
// Credentials that could not be had are no run: nothing was sent, so
// nothing is recorded and the set-up problem is said.
func (f *flight) cmd() tea.Cmd {
	return func() tea.Msg {
		res, err := f.backend.StartSyncExecution(f.ctx, f.req)
		if !f.claim() {
			return nil
		}
		defer f.finished()
		if fnf.IsSetupError(err) {
			return msgs.RunNotSent{ID: f.id, Err: err}
		}
		f.rec, f.herr = f.record(res, err, recordTimeout)
		f.sent = true
		return msgs.RunFinished{ID: f.id, View: viewOf(f.rec, res, err, f.herr)}
	}
}

// record writes f's row, within timeout: the one rule for a run's row, be
// it answered, failed, stopped by esc or stopped as the program ends. A run
// the user stopped gets the duration shown (start to stop) and says what
// became of it, as fits the backend.
func (f *flight) record(res *fnf.SyncResult, err error, timeout time.Duration) (history.Run, error) {
	info := f.backend.Info()
	var rec history.Run
	if stop, ok := context.Cause(f.ctx).(runStopped); ok && res == nil {
		// The screen showed the time to the stop, not to the call's return.
		rec = history.FromStopped(info, f.req, res, err, f.start, stop.at)
	} else {
		rec = history.FromSync(info, f.req, res, err, f.start, f.ctx.Err() != nil)
	}
	if rec.Latency == 0 {
		rec.Latency = f.now().Sub(f.start)
	}
	if f.hist == nil {
		return rec, nil
	}
	var herr error
	rec.ID, herr = addWithin(f.hist, rec, timeout)
	return rec, herr
}

// addWithin writes rec, giving up after timeout even if the store does not
// heed its context (a database file locked by another process waits in the
// driver): the TUI, and its exit, never wait longer.
func addWithin(h *history.Store, rec history.Run, timeout time.Duration) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type added struct {
		id  int64
		err error
	}
	ch := make(chan added, 1)
	go func() {
		id, err := h.Add(ctx, rec)
		ch <- added{id, err}
	}()
	select {
	case a := <-ch:
		return a.id, a.err
	case <-ctx.Done():
		return 0, fmt.Errorf("the history did not answer within %s (is another program holding its file?)", common.Duration(timeout))
	}
}

// Finish records the runs still unrecorded when the program ends (q,
// ctrl+c, an interrupt): each is stopped now, unless esc stopped it before,
// and recorded as Cancelled with the time to its stop, by the same rule as
// any run. It waits at most exitGrace in all, and returns what to tell the
// user on the terminal, one line per run ("" when none was in flight). Call
// it once the program has returned and before the history is closed.
func (m Model) Finish() string {
	fs := m.flights
	if fs == nil {
		return "" // not a model New made
	}
	fs.mu.Lock()
	open := fs.exiting
	fs.exiting = nil // told once
	for _, f := range fs.pending {
		if !slices.Contains(open, f) {
			open = append(open, f)
		}
	}
	fs.mu.Unlock()
	if len(open) == 0 {
		return ""
	}
	deadline := time.Now().Add(exitGrace)
	var out []string
	for _, f := range open {
		f.cancel(runStopped{m.opts.Now()}) // a stop made before stays the cause
		if s := f.finish(deadline); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

// finish gives f's call half the time left to return after its stop, so
// that its own answer is recorded; past that, records the stop itself.
func (f *flight) finish(deadline time.Time) string {
	select {
	case <-f.done:
	case <-time.After(time.Until(deadline) / 2):
		if f.claim() {
			f.rec, f.herr = f.record(nil, context.Cause(f.ctx), max(time.Until(deadline), time.Millisecond))
			f.sent = true
			f.finished()
			break
		}
		select {
		case <-f.done:
		case <-time.After(time.Until(deadline)):
			return fmt.Sprintf("the run of %s was still being recorded at exit: it may be missing from the history", f.req.FlowName)
		}
	}
	if !f.sent {
		return "" // a set-up problem: no run
	}
	return exitNote(f.rec, f.herr)
}

// exitNote says what became of a run that ended with the program.
func exitNote(rec history.Run, herr error) string {
	s := fmt.Sprintf("the run of %s: %s after %s", rec.FlowName, rec.Status, common.Duration(rec.Latency))
	if rec.Status == fnf.StatusCancelled && rec.ErrorMessage != "" {
		s += " (" + rec.ErrorMessage + ")"
	}
	switch {
	case herr != nil:
		s += "; not recorded in the history: " + herr.Error()
	case rec.ID != 0:
		s += fmt.Sprintf("; recorded in the history as run %d", rec.ID)
	}
	return s
}
