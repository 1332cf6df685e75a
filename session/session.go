// Package session runs a flow and keeps it: the one owner of a run from the
// call to its history row, for the command line and the TUI alike. A run is
// started (registered at once, so that a program ending before its call is
// made still records it), waited for (the call, then the row), stopped by
// the user, or finished as the program ends. The row follows one rule
// (Row), and its write is bounded (AddWithin), so that a locked history
// never holds up the screen or the exit.
//
// Which backend a run goes to is chosen by session/backend.
package session

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/human"
)

// Defaults of Options.
const (
	// DefaultRecordTimeout bounds a run's history write: a locked or stuck
	// database file may delay the row, never the screen.
	DefaultRecordTimeout = 5 * time.Second
	// DefaultExitGrace bounds what Finish waits for at exit: first the
	// stopped call's return, then the write of what is still unrecorded.
	DefaultExitGrace = 2 * time.Second
)

// Options tune a Session; zero values take the defaults.
type Options struct {
	Now           func() time.Time
	RecordTimeout time.Duration // a row's write
	StopTimeout   time.Duration // the row of a stopped run (default RecordTimeout)
	ExitGrace     time.Duration // Finish, in all
}

// Session is the runs of one program and the history they go to; it is
// shared by every copy of the TUI's model, so that Finish, called once the
// program has ended, finds the runs still in flight.
type Session struct {
	hist *history.Store // nil: runs are not recorded
	o    Options

	mu      sync.Mutex
	pending map[pending]bool
	exiting []pending           // in flight when the user quit: Finish tells of them
	live    map[*Execution]bool // Standard executions started and not seen to end
}

// pending is a run in flight whose row is not written yet: a call
// (Flight) or a bench. Finish stops it, then has it recorded.
type pending interface {
	Stop(at time.Time)
	// finish waits for the row (until deadline, or a bench's own grace),
	// writing it itself if the run's own goroutine has not, and says what
	// became of the run.
	finish(deadline time.Time) string
}

// inFlight adds p to the runs in flight.
func (s *Session) inFlight(p pending) {
	s.mu.Lock()
	s.pending[p] = true
	s.mu.Unlock()
}

// claim makes the caller the one that records a run (its own goroutine, or
// Finish): true once per flag.
func (s *Session) claim(flag *bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *flag {
		return false
	}
	*flag = true
	return true
}

// finished drops p from the runs in flight once its row is written, and
// closes done.
func (s *Session) finished(p pending, done chan struct{}) {
	s.mu.Lock()
	delete(s.pending, p)
	s.mu.Unlock()
	close(done)
}

// New is a session recording to h (nil for none).
func New(h *history.Store, o Options) *Session {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RecordTimeout <= 0 {
		o.RecordTimeout = DefaultRecordTimeout
	}
	if o.StopTimeout <= 0 {
		o.StopTimeout = o.RecordTimeout
	}
	if o.ExitGrace <= 0 {
		o.ExitGrace = DefaultExitGrace
	}
	return &Session{hist: h, o: o, pending: map[pending]bool{}}
}

// Stopped is the cause of a run's cancellation by the user: when.
type Stopped struct{ At time.Time }

func (Stopped) Error() string { return "stopped by the user" }

// Outcome is what became of a run.
type Outcome struct {
	Result  *fnf.SyncResult
	Err     error       // the call's error, as it came
	NotSent bool        // a set-up problem: nothing was sent, no run, no row
	Row     history.Run // the row, with its ID once written
	RowErr  error       // why the row was not written
}

// Run is a run started: Wait makes its call and records it, Stop stops it.
// A TUI's tests may fake it.
type Run interface {
	Stop(at time.Time)
	Wait() (Outcome, bool)
}

// Flight is one run: its call and the row it gets, once, from whichever
// comes first, the call's return (Wait) or Finish.
type Flight struct {
	s       *Session
	backend fnf.Backend
	req     fnf.SyncRequest
	start   time.Time // the start shown: the history holds the duration shown
	parent  context.Context
	ctx     context.Context
	cancel  context.CancelCauseFunc

	claimed bool          // the row is being written; under s.mu
	done    chan struct{} // closed once the row is written (or is not to be)
	out     Outcome       // once done is closed
}

// Start registers a run of req on b, started at start, within ctx (an
// interrupt of the command line cancels it); Wait makes the call.
func (s *Session) Start(ctx context.Context, b fnf.Backend, req fnf.SyncRequest, start time.Time) Run {
	fctx, cancel := context.WithCancelCause(ctx)
	f := &Flight{s: s, backend: b, req: req, start: start, parent: ctx, ctx: fctx, cancel: cancel, done: make(chan struct{})}
	s.inFlight(f)
	return f
}

// Stop stops the run (the local engine cancels it; a cloud call stops
// waiting) at at; its row says so, with the time to the stop. A stop made
// before stays the one recorded.
func (f *Flight) Stop(at time.Time) { f.cancel(Stopped{At: at}) }

// Wait makes the call and records it, whatever happened, unless Finish
// recorded it first (false: the program is ending, nobody reads it).
// Credentials that could not be had are no run: nothing was sent, so
// nothing is recorded.
func (f *Flight) Wait() (Outcome, bool) {
	res, err := f.backend.StartSyncExecution(f.ctx, f.req)
	if !f.s.claim(&f.claimed) {
		return Outcome{}, false
	}
	defer f.s.finished(f, f.done)
	f.out = Outcome{Result: res, Err: err}
	if fnf.IsSetupError(err) {
		f.out.NotSent = true
		return f.out, true
	}
	timeout := f.s.o.RecordTimeout
	if f.ctx.Err() != nil {
		timeout = f.s.o.StopTimeout
	}
	f.out.Row, f.out.RowErr = f.record(res, err, timeout)
	return f.out, true
}

// record writes f's row within timeout.
func (f *Flight) record(res *fnf.SyncResult, err error, timeout time.Duration) (history.Run, error) {
	rec := Row(f.ctx, f.backend.Info(), f.req, res, err, f.start, f.s.o.Now())
	if f.s.hist == nil {
		return rec, nil
	}
	// A stopped run is still recorded: its write outlives the stop. An
	// interrupt that comes during the write ends it.
	ctx := f.parent
	if f.ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	var herr error
	rec.ID, herr = AddWithin(ctx, f.s.hist, rec, timeout)
	return rec, herr
}

// Row is the history row of one call made within ctx: the one rule for a
// run's row, be it answered, failed, stopped by the user or by an
// interrupt, or stopped as the program ends. A stopped call that failed
// gets the duration shown, from its start to the stop (the time of a
// Stopped cause, else now), and says what became of it on its backend.
func Row(ctx context.Context, info fnf.Info, req fnf.SyncRequest, res *fnf.SyncResult, err error, start, now time.Time) history.Run {
	var rec history.Run
	if ctx.Err() != nil && err != nil {
		at := now
		if stop, ok := context.Cause(ctx).(Stopped); ok {
			at = stop.At
		}
		rec = history.FromStopped(info, req, res, err, start, at)
	} else {
		rec = history.FromSync(info, req, res, err, start, ctx.Err() != nil)
	}
	if rec.Latency == 0 {
		rec.Latency = now.Sub(start)
	}
	return rec
}

// AddWithin writes rec, giving up after timeout even if the store does not
// heed its context (a database file locked by another process waits in the
// driver): the TUI, and its exit, never wait longer. An end of ctx itself
// ends the wait with ctx's error.
func AddWithin(ctx context.Context, h *history.Store, rec history.Run, timeout time.Duration) (int64, error) {
	return within(ctx, timeout, func(wctx context.Context) (int64, error) { return h.Add(wctx, rec) })
}

// within runs a history write, giving up after timeout (AddWithin).
func within(ctx context.Context, timeout time.Duration, write func(context.Context) (int64, error)) (int64, error) {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type added struct {
		id  int64
		err error
	}
	ch := make(chan added, 1)
	go func() {
		id, err := write(wctx)
		ch <- added{id, err}
	}()
	select {
	case a := <-ch:
		return a.id, a.err
	case <-wctx.Done():
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("the history did not answer within %s (is another program holding its file?)", human.Duration(timeout))
	}
}

// AtExit notes the runs in flight as the user quits: stopped then, their
// calls may return and record them before Finish is called, and Finish
// still tells of them.
func (s *Session) AtExit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.pending {
		if !slices.Contains(s.exiting, f) { // q then ctrl+c: told once
			s.exiting = append(s.exiting, f)
		}
	}
}

// Finish records the runs still unrecorded as the program ends (q, ctrl+c,
// an interrupt): each is stopped at now, unless stopped before, and
// recorded as Cancelled with the time to its stop, by the same rule as any
// run; a local Standard execution still running is stopped and recorded
// Stopped, any other left running and said so. It waits at most ExitGrace in all, and returns what to tell the user
// on the terminal, one line per run ("" when none was in flight). Call it
// once the program has returned and before the history is closed.
func (s *Session) Finish(now time.Time) string {
	s.mu.Lock()
	open := s.exiting
	s.exiting = nil // told once
	for f := range s.pending {
		if !slices.Contains(open, f) {
			open = append(open, f)
		}
	}
	s.mu.Unlock()
	deadline := time.Now().Add(s.o.ExitGrace)
	var out []string
	for _, f := range open {
		f.Stop(now)
		if n := f.finish(deadline); n != "" {
			out = append(out, n)
		}
	}
	out = append(out, s.finishExecutions(context.Background())...)
	return strings.Join(out, "\n")
}

// finish gives f's call half the time left to return after its stop, so
// that its own answer is recorded; past that, records the stop itself.
func (f *Flight) finish(deadline time.Time) string {
	select {
	case <-f.done:
	case <-time.After(time.Until(deadline) / 2):
		if f.s.claim(&f.claimed) {
			err := context.Cause(f.ctx)
			f.out = Outcome{Err: err}
			f.out.Row, f.out.RowErr = f.record(nil, err, max(time.Until(deadline), time.Millisecond))
			f.s.finished(f, f.done)
			break
		}
		select {
		case <-f.done:
		case <-time.After(time.Until(deadline)):
			return fmt.Sprintf("the run of %s was still being recorded at exit: it may be missing from the history", f.req.FlowName)
		}
	}
	if f.out.NotSent {
		return "" // a set-up problem: no run
	}
	return exitNote(f.out.Row, f.out.RowErr)
}

// exitNote says what became of a run that ended with the program.
func exitNote(rec history.Run, herr error) string {
	took := rec.Latency
	if d, ok := rec.ServerDuration(); ok {
		took = d // what Runs and the history show for it
	}
	s := fmt.Sprintf("the run of %s: %s after %s", rec.FlowName, rec.Status, human.Duration(took))
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
