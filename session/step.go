package session

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// Following a Standard execution step by step, as the TUI does: one step is
// one short DescribeExecution long-poll and a read of the events since the
// last step, so that a screen shows the execution advance between steps
// and never waits on more than one call at a time.
const (
	// StepWait is a step's long-poll: short, so that progress shows, and
	// long enough that a waiting execution costs a call every few seconds.
	StepWait = 2 * time.Second
	// stepPages bounds the event pages one step reads, so that the first
	// step of an execution with thousands of events stays within the rate
	// bucket; the next step reads on.
	stepPages = 4
)

// Progress is an execution as one step saw it.
type Progress struct {
	Detail fnf.ExecutionDetail
	// Events is every event read so far, oldest first; in full once Ended.
	Events []fnf.Event
	// EventsErr is why new events could not be read: the next step tries
	// again; at the end, the end is recorded without them.
	EventsErr error
	// Waiting lists the callback tasks the execution waits on (PendingTasks).
	Waiting []Task
	// Err is DescribeExecution's error: nothing is known of the end yet.
	Err error
	// Ended: the execution has ended and its end is recorded (Row, RowErr).
	Ended  bool
	Row    history.Run // the row as recorded, or as it stands while running
	RowErr error
}

// eventCursor is where the next read of an execution's events starts: the
// token of the last page read, which is read again (the service gives no
// token past the last page) with the events up to lastID dropped.
type eventCursor struct {
	token  string
	lastID int64
	events []fnf.Event
}

// Step makes one step of a follow: a DescribeExecution long-poll of wait,
// then the events since the last step; a step that does not see the end
// lasts MinPoll at least.
// An end it sees is recorded, with every event. Steps made at once take
// turns.
func (e *Execution) Step(ctx context.Context, wait time.Duration) Progress {
	e.stepMu.Lock()
	defer e.stepMu.Unlock()
	if e.Err != nil || e.NotSent {
		return Progress{Detail: e.Detail, Err: e.Err, Ended: true, Row: e.Row, RowErr: e.RowErr}
	}
	began := time.Now()
	d, err := e.std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: e.execName, Wait: wait})
	if err != nil || !d.Status.Terminal() {
		// A backend that answers at once is not asked again sooner: the
		// next step starts a second after this one at the earliest.
		defer func() { pause(ctx, MinPoll-time.Since(began)) }()
	}
	if err != nil {
		return Progress{Detail: e.Detail, Err: err, Events: e.ev.events}
	}
	p := Progress{Detail: d}
	p.Events, p.EventsErr = e.readEvents(ctx, d.Status.Terminal())
	if d.Status.Terminal() {
		p.Detail = e.end(ctx, d, p.Events, p.EventsErr)
		p.Ended = true
		e.mu.Lock()
		p.Row, p.RowErr = e.Row, e.RowErr
		e.mu.Unlock()
		return p
	}
	p.Waiting = PendingTasks(p.Events)
	p.Row = history.FromStandard(e.backend.Info(), e.req, &d, nil, e.start)
	p.Row.ID, p.Row.RequestID = e.Row.ID, e.Row.RequestID
	p.Row.Latency = e.s.o.Now().Sub(e.start)
	return p
}

// Watch waits, cheaply, for the end of an execution nobody follows any
// more (the TUI's esc), so that its row gets its end while the program
// runs: DescribeExecution long-polls of FollowWait, one at a time and at
// most one per MinPoll, then a Step that reads the events and records the
// end. It gives up after maxWatchFails errors in a row (Err). For a local
// execution: a remote one is left to the rate buckets of its service.
func (e *Execution) Watch(ctx context.Context) Progress {
	for fails := 0; ; {
		began := time.Now()
		d, err := e.std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: e.execName, Wait: FollowWait})
		switch {
		case err == nil && d.Status.Terminal():
			return e.Step(ctx, 0)
		case err == nil:
			fails = 0
		default:
			fails++
			if fails >= maxWatchFails || ctx.Err() != nil {
				return Progress{Detail: e.Detail, Err: err}
			}
		}
		if !pause(ctx, MinPoll-time.Since(began)) {
			return Progress{Detail: e.Detail, Err: ctx.Err()}
		}
	}
}

// maxWatchFails is how many DescribeExecution errors in a row Watch bears.
const maxWatchFails = 3

// readEvents reads the events since the last read: a few pages, or all of
// them once the execution has ended.
func (e *Execution) readEvents(ctx context.Context, all bool) ([]fnf.Event, error) {
	c := &e.ev
	req := fnf.HistoryRequest{FlowName: e.req.FlowName, ExecutionName: e.execName, NextToken: c.token}
	for n := 0; all || n < stepPages; n++ {
		page, err := e.std.GetExecutionHistory(ctx, req)
		if err != nil {
			return c.events, err
		}
		for _, ev := range page.Events {
			if ev.EventId > c.lastID {
				c.events = append(c.events, ev)
				c.lastID = ev.EventId
			}
		}
		if page.NextToken == "" || page.NextToken == req.NextToken {
			break
		}
		c.token, req.NextToken = page.NextToken, page.NextToken
	}
	return slices.Clip(c.events), nil
}

// Task is a callback task an execution waits on: the step, and the token
// that ReportTaskSucceeded or ReportTaskFailed answers it with.
type Task struct {
	Step  string
	Token string
}

// PendingTasks lists the callback tasks events show waiting: a
// TaskSubmitted event with a token, and no later end of that task (the
// same step and, when both say it, the same scheduling event).
func PendingTasks(events []fnf.Event) []Task {
	var out []Task
	for i, ev := range events {
		if ev.Type != fnf.EventTaskSubmitted {
			continue
		}
		var d struct{ TaskToken string }
		if json.Unmarshal([]byte(ev.EventDetail), &d) != nil || d.TaskToken == "" {
			continue
		}
		if !slices.ContainsFunc(events[i+1:], func(later fnf.Event) bool { return endsTask(later, ev) }) {
			out = append(out, Task{Step: ev.StepName, Token: d.TaskToken})
		}
	}
	return out
}

// endsTask reports whether ev ends the task submitted by sub.
func endsTask(ev, sub fnf.Event) bool {
	switch ev.Type {
	case fnf.EventTaskSucceeded, fnf.EventTaskFailed, fnf.EventTaskTimedOut, fnf.EventTaskSubmitFailed:
	default:
		return false
	}
	return ev.StepName == sub.StepName &&
		(ev.ScheduleEventId == 0 || sub.ScheduleEventId == 0 || ev.ScheduleEventId == sub.ScheduleEventId)
}

// Stop asks the backend to stop the execution with an error code and a
// cause; the follow that sees it end records it.
func (e *Execution) Stop(ctx context.Context, code, cause string) (fnf.ExecutionDetail, error) {
	return e.std.StopExecution(ctx, fnf.StopRequest{FlowName: e.req.FlowName, ExecutionName: e.execName, Error: code, Cause: cause})
}

// Ended is the execution's end once recorded (by a follow, a stop or an
// observation); false while it is not known to have ended.
func (e *Execution) Ended() (fnf.ExecutionDetail, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.Detail, e.recorded
}

// StopIfRunning stops the execution unless it has ended: one known to have
// ended, or that DescribeExecution shows ended, gets no StopExecution
// (stopped false, d as it ended). One that ended between that look and the
// stop is told by the stop's answer: a status other than Stopped with
// code, or Stopped with another code, is an end of its own.
func (e *Execution) StopIfRunning(ctx context.Context, code, cause string) (d fnf.ExecutionDetail, stopped bool, err error) {
	if d, ok := e.Ended(); ok {
		return d, false, nil
	}
	d, err = e.std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: e.execName})
	if err != nil || d.Status.Terminal() {
		return d, false, err
	}
	if d, err = e.Stop(ctx, code, cause); err != nil {
		return d, false, err
	}
	ownEnd := d.Status.Terminal() && (d.Status != fnf.StatusStopped || d.ErrorCode != code)
	return d, !ownEnd, nil
}

// StopAndRecord stops the execution and records its end, within
// StopTimeout: for a local execution that must end with the program. One
// that had already ended is recorded as it ended.
func (e *Execution) StopAndRecord(ctx context.Context, code, cause string) Progress {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.s.o.StopTimeout)
	defer cancel()
	d, err := e.Stop(sctx, code, cause)
	if err != nil {
		d, err = e.std.DescribeExecution(sctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: e.execName})
	}
	if err != nil || !d.Status.Terminal() {
		return Progress{Detail: d, Err: err}
	}
	p := Progress{Ended: true}
	p.Events, p.EventsErr = fnf.AllEvents(sctx, e.std, fnf.HistoryRequest{FlowName: e.req.FlowName, ExecutionName: e.execName})
	p.Detail = e.end(sctx, d, p.Events, p.EventsErr)
	e.mu.Lock()
	p.Row, p.RowErr = e.Row, e.RowErr
	e.mu.Unlock()
	return p
}

// FlowName, Name and Local say which execution this is and where it runs.
func (e *Execution) FlowName() string { return e.req.FlowName }
func (e *Execution) Name() string     { return e.execName }
func (e *Execution) Local() bool      { return e.backend.Info().Kind == fnf.KindLocal }

// track notes a started execution as running, or no longer.
func (s *Session) track(e *Execution, running bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live == nil {
		s.live = map[*Execution]bool{}
	}
	if running {
		s.live[e] = true
	} else {
		delete(s.live, e)
	}
}

// Executions lists the Standard executions this session started whose end
// it has not recorded yet, oldest first: those a program about to quit
// must stop (local ones) or leave running.
func (s *Session) Executions() []*Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Execution, 0, len(s.live))
	for e := range s.live {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *Execution) int { return a.start.Compare(b.start) })
	return out
}
