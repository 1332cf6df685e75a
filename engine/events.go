package engine

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// standardRun is what a Standard execution adds to a run: its event
// history and the callback tasks it waits on. A distributed Map's child
// executions share the callbacks but keep no history of their own.
type standardRun struct {
	log       *eventLog // nil: no history
	callbacks *callbacks
}

// eventLog is an execution's history as GetExecutionHistory lists it. It is
// written where the events are counted against MaxEvents, so that the count
// and the history are one: each spend is followed by exactly the events it
// paid for.
type eventLog struct {
	mu     sync.Mutex
	events []fnf.Event
	bytes  int64
	// grow, when set, is told how many bytes each event adds (the bound of
	// Executions).
	grow func(int64)
}

// eventOverhead is what an event costs besides its detail, roughly: the
// struct, its strings' headers and its time.
const eventOverhead = 160

// eventDetail is an event's EventDetail. The service documents the field as
// JSON text without its shape; flowtui writes these keys.
type eventDetail struct {
	Input     any    `json:"Input,omitempty"`
	Output    any    `json:"Output,omitempty"`
	Resource  string `json:"Resource,omitempty"` // a Task's Action
	TaskMode  string `json:"TaskMode,omitempty"`
	TaskToken string `json:"TaskToken,omitempty"`
	Error     string `json:"Error,omitempty"`
	Cause     string `json:"Cause,omitempty"`
	Index     *int   `json:"Index,omitempty"` // a branch or an iteration
}

// jsonText embeds JSON text in a detail as it is.
func jsonText(s string) any {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// add records an event that happened at on the execution's clock.
func (l *eventLog) add(at time.Time, typ, stepName string, schedule int64, d eventDetail) int64 {
	detail, err := json.Marshal(d)
	if err != nil {
		detail = []byte("{}")
	}
	ev := fnf.Event{ScheduleEventId: schedule, StepName: stepName, Type: typ,
		Time: fnf.FormatTime(at), EventDetail: string(detail)}
	size := int64(len(detail) + len(stepName) + eventOverhead)
	l.mu.Lock()
	ev.EventId = int64(len(l.events)) + 1
	l.events = append(l.events, ev)
	l.bytes += size
	grow := l.grow
	l.mu.Unlock()
	if grow != nil {
		grow(size)
	}
	return ev.EventId
}

// page returns up to limit events from index from, and the index after them.
func (l *eventLog) page(from, limit int) ([]fnf.Event, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	from = min(from, len(l.events))
	end := min(from+limit, len(l.events))
	return append([]fnf.Event(nil), l.events[from:end]...), end
}

func (l *eventLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.events)
}

// emit records an event of a Standard execution and returns its EventId; an
// Express run records none and gets 0.
func (x *execution) emit(typ, stepName string, schedule int64, d eventDetail) int64 {
	if x.std == nil || x.std.log == nil {
		return 0
	}
	return x.std.log.add(x.clock.Now(), typ, stepName, schedule, d)
}

// history reports whether the run records events.
func (x *execution) history() bool { return x.std != nil && x.std.log != nil }

// stepEnd records how a state or step ended: StepExited, or StepFailed with
// its error. Both are the second of the state's two events.
func (x *execution) stepEnd(name string, entered int64, out any, ferr *flowError) {
	if ferr != nil {
		x.emit(fnf.EventStepFailed, name, entered, eventDetail{Error: ferr.Code, Cause: ferr.Detail})
		return
	}
	x.emit(fnf.EventStepExited, name, entered, eventDetail{Output: out})
}

// taskEnd records the third event of a Task attempt.
func (x *execution) taskEnd(name string, scheduled int64, out any, ferr *flowError) {
	switch {
	case ferr == nil:
		x.emit(fnf.EventTaskSucceeded, name, scheduled, eventDetail{Output: out})
	case ferr.Code == CodeTimeout:
		x.emit(fnf.EventTaskTimedOut, name, scheduled, eventDetail{Error: ferr.Code, Cause: ferr.Detail})
	default:
		x.emit(fnf.EventTaskFailed, name, scheduled, eventDetail{Error: ferr.Code, Cause: ferr.Detail})
	}
}

// fanKind is what fanOut runs.
type fanKind int

const (
	branch fanKind = iota
	iteration
	childExecution
)

// fanOut records the two events of a Parallel branch (branch) or of an
// inline iteration around run; nothing when it is neither (a distributed
// Map's iteration, a child execution of its own). The states run gets a ctx
// that names the BranchEntered or IterationEntered event: their StepEntered
// events point at it (ScheduleEventId), so that a reader of the history can
// tell which branch or iteration a state ran in, though branches run at once.
func (x *execution) fanOut(ctx context.Context, kind fanKind, name string, i int, run func(context.Context) (any, *flowError)) (any, *flowError) {
	if !x.history() || kind == childExecution {
		return run(ctx)
	}
	enter, exit := fnf.EventBranchEntered, fnf.EventBranchExited
	if kind == iteration {
		enter, exit = fnf.EventIterationEntered, fnf.EventIterationExited
	}
	id := x.emit(enter, name, scheduledBy(ctx), eventDetail{Index: &i})
	out, ferr := run(context.WithValue(ctx, scopeEvent{}, id))
	d := eventDetail{Index: &i, Output: out}
	if ferr != nil {
		d = eventDetail{Index: &i, Error: ferr.Code, Cause: ferr.Detail}
	}
	x.emit(exit, name, id, d)
	return out, ferr
}

// scopeEvent keys the EventId of the BranchEntered or IterationEntered event
// whose branch or iteration a ctx runs.
type scopeEvent struct{}

// scheduledBy is the ScheduleEventId of a state entered under ctx: the event
// of its branch or iteration, 0 at the top of the execution.
func scheduledBy(ctx context.Context) int64 {
	id, _ := ctx.Value(scopeEvent{}).(int64)
	return id
}
