package session

import (
	"cmp"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	waitfor "github.com/flowtui/flowtui/internal/pause"
)

// Following a Standard execution.
const (
	// FollowWait is each DescribeExecution's long-poll: the API's most, so
	// that a long execution costs one call a minute.
	FollowWait = fnf.MaxDescribeWait
	// MinPoll spaces the calls out when a backend answers a long-poll at
	// once without the end: DescribeExecution's rate bucket is about 5
	// calls a second, and a follow never spins.
	MinPoll = time.Second
	// StopError is the Error of a local execution stopped because the
	// program following it was interrupted.
	StopError = "flowtui.Interrupted"
	// StopCause is its Cause.
	StopCause = "flowtui was interrupted while it followed this local execution, which cannot outlive the process that runs it"
)

// Execution is a Standard execution started by this program: its start is
// recorded at once (Running, or the error), and its end by Follow.
type Execution struct {
	s       *Session
	backend fnf.Backend
	std     fnf.Standard
	req     fnf.StartRequest
	start   time.Time

	Detail fnf.ExecutionDetail // as last seen
	Err    error               // StartExecution's error; nothing to follow
	// NotSent: a set-up problem, nothing was sent, no row.
	NotSent bool
	Row     history.Run // the row, with its ID once written
	RowErr  error       // why the row was not written

	execName string // the execution's name, fixed once started

	mu       sync.Mutex  // the end's record, which a step and a stop may both reach
	recorded bool        // the end is recorded
	stepMu   sync.Mutex  // one step at a time
	ev       eventCursor // under stepMu
}

// StartExecution starts req on b's Standard side std at start and records
// it: Running (or already ended), or the error of a start that made no
// execution. It returns at once, as StartExecution does.
func (s *Session) StartExecution(ctx context.Context, b fnf.Backend, std fnf.Standard, req fnf.StartRequest, start time.Time) *Execution {
	e := &Execution{s: s, backend: b, std: std, req: req, start: start}
	d, err := std.StartExecution(ctx, req)
	e.Detail, e.Err = d, err
	if fnf.IsSetupError(err) {
		e.NotSent = true
		return e
	}
	var dp *fnf.ExecutionDetail
	if err == nil {
		dp = &d
	}
	e.Row = history.FromStandard(b.Info(), req, dp, err, start)
	if err != nil && ctx.Err() != nil {
		e.Row.Status = fnf.StatusCancelled // interrupted: whether it started is not known
	}
	e.Row.Latency = s.o.Now().Sub(start)
	if err == nil && !d.Status.Terminal() {
		// A name still running answers with that execution: it keeps the
		// row it has (one execution, one row), even when starts of one
		// name race, in this process or another.
		e.addRunning(ctx, b.Info())
	} else {
		e.record(ctx)
	}
	e.execName = e.name()
	if err == nil && !d.Status.Terminal() {
		s.track(e, true)
	}
	return e
}

// Followed is what became of an execution followed to its end, or of the
// follow.
type Followed struct {
	Detail fnf.ExecutionDetail // as last seen: ended unless Err or Interrupted
	Events []fnf.Event         // its event history, once ended
	// EventsErr is why the events could not be read; the end is still recorded.
	EventsErr error
	Err       error // a DescribeExecution error: the end is unknown
	// Interrupted: ctx ended while following. A local execution was then
	// stopped (Stopped, with StopError and StopCause); any other goes on
	// where it runs, and its row stays Running.
	Interrupted bool
	Stopped     bool
	Calls       int // DescribeExecution calls made
}

// Follow waits for the execution's end with DescribeExecution long-polls
// of FollowWait (never faster than one call per MinPoll), reads its events
// and records its end in its row. An interrupt (ctx ending) stops a local
// execution, which cannot outlive the program, and records it Stopped.
func (e *Execution) Follow(ctx context.Context) Followed {
	f := Followed{Detail: e.Detail, Err: e.Err}
	if e.Err != nil || e.NotSent {
		return f // nothing started
	}
	name := e.name()
	for !f.Detail.Status.Terminal() {
		began := time.Now()
		d, err := e.std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: name, Wait: FollowWait})
		f.Calls++
		if ctx.Err() != nil {
			return e.interrupted(ctx, f)
		}
		if err != nil {
			f.Err = err
			return f
		}
		f.Detail = d
		if !d.Status.Terminal() && !pause(ctx, MinPoll-time.Since(began)) {
			return e.interrupted(ctx, f)
		}
	}
	e.ended(ctx, &f)
	return f
}

// pause waits d (nothing when d ≤ 0); false when ctx ended first.
func pause(ctx context.Context, d time.Duration) bool {
	return d <= 0 || waitfor.For(ctx, d) == nil
}

// name is the execution's name as the backend gave it.
func (e *Execution) name() string {
	if e.Detail.Name != "" {
		return e.Detail.Name
	}
	return e.req.ExecutionName
}

// interrupted ends a follow cut short: a local execution is stopped and
// recorded so, within StopTimeout; any other is left to run.
func (e *Execution) interrupted(ctx context.Context, f Followed) Followed {
	f.Interrupted = true
	if !e.Local() {
		return f
	}
	p := e.StopAndRecord(ctx, StopError, StopCause)
	if p.Err != nil {
		f.Err = p.Err
		return f
	}
	f.Detail, f.Stopped, f.Events, f.EventsErr = p.Detail, true, p.Events, p.EventsErr
	return f
}

// ended reads the events of the execution f says has ended and records its end.
func (e *Execution) ended(ctx context.Context, f *Followed) {
	f.Events, f.EventsErr = fnf.AllEvents(ctx, e.std, fnf.HistoryRequest{FlowName: e.req.FlowName, ExecutionName: e.name(), Limit: fnf.MaxEventsLimit})
	f.Detail = e.end(ctx, f.Detail, f.Events, f.EventsErr)
}

// end records the end of the execution, d, with its events: once, whoever
// sees it first (a follow, a stop). It returns d completed with why it
// ended, which the service's DescribeExecution leaves to the events.
func (e *Execution) end(ctx context.Context, d fnf.ExecutionDetail, events []fnf.Event, eventsErr error) fnf.ExecutionDetail {
	if d.Status != fnf.StatusSucceeded && d.ErrorCode == "" && d.ErrorMessage == "" {
		d.ErrorCode, d.ErrorMessage = fnf.EndError(events)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.recorded {
		return d
	}
	e.recorded = true
	e.s.track(e, false)
	e.Detail = d
	row := history.FromStandard(e.backend.Info(), e.req, &d, nil, e.start)
	row.Latency = e.s.o.Now().Sub(e.start)
	if eventsErr == nil {
		row.SetEvents(events)
	}
	// The row keeps the start's request id, the one that names the
	// execution to the service's support.
	row.ID, row.RequestID = e.Row.ID, cmp.Or(e.Row.RequestID, row.RequestID)
	e.Row = row
	e.record(ctx)
	return d
}

// record writes the row: added the first time, updated after.
func (e *Execution) record(ctx context.Context) {
	if e.s.hist == nil {
		return
	}
	timeout := e.s.o.RecordTimeout
	if ctx.Err() != nil {
		timeout = e.s.o.StopTimeout
	}
	wctx := context.WithoutCancel(ctx) // an interrupted follow still records what it saw
	if e.Row.ID == 0 {
		e.Row.ID, e.RowErr = AddWithin(wctx, e.s.hist, e.Row, timeout)
		return
	}
	e.RowErr = UpdateWithin(wctx, e.s.hist, e.Row.ID, e.Row, timeout)
}

// addRunning records the execution just started Running, or finds the row
// that already holds it Running (history.Store.AddRunning).
func (e *Execution) addRunning(ctx context.Context, info fnf.Info) {
	if e.s.hist == nil {
		return
	}
	e.Row.ID, e.RowErr = within(context.WithoutCancel(ctx), e.s.o.RecordTimeout, func(wctx context.Context) (int64, error) {
		id, _, err := e.s.hist.AddRunning(wctx, info, e.Row)
		return id, err
	})
}

// UpdateWithin is AddWithin for Store.Update.
func UpdateWithin(ctx context.Context, h *history.Store, id int64, rec history.Run, timeout time.Duration) error {
	_, err := within(ctx, timeout, func(wctx context.Context) (int64, error) { return id, h.Update(wctx, id, rec) })
	return err
}

// Observed brings up to date the row of an execution recorded Running
// (started with --no-wait, or followed by a program interrupted before its
// end) once d shows it ended: whoever sees the end records it, be it
// `executions show`, `executions list` or a later follow. It returns the
// row's id, 0 when there is none to update.
func (s *Session) Observed(ctx context.Context, b fnf.Backend, std fnf.Standard, d fnf.ExecutionDetail) (int64, error) {
	if s.hist == nil || !d.Status.Terminal() {
		return 0, nil
	}
	id, err := s.hist.FindRunning(ctx, b.Info(), d.FlowName, d.Name)
	if errors.Is(err, history.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	row := history.FromStandard(b.Info(), fnf.StartRequest{FlowName: d.FlowName}, &d, nil, time.Time{})
	row.RequestID = "" // the start's stays
	if events, err := fnf.AllEvents(ctx, std, fnf.HistoryRequest{FlowName: d.FlowName, ExecutionName: d.Name}); err == nil {
		row.SetEvents(events)
	}
	// An end seen is recorded even when the seeing was cut short (an
	// interrupt, the exit's time running out): the write has its own bound.
	return id, UpdateWithin(context.WithoutCancel(ctx), s.hist, id, row, s.o.RecordTimeout)
}
