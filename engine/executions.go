package engine

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Bounds of the executions kept in memory, when ExecutionsOptions gives none.
const (
	DefaultMaxExecutions = 10_000
	DefaultMaxBytes      = 256 << 20
)

// CodeShutdown is the Error of the executions Close stops.
const CodeShutdown = "flowtui.Shutdown"

// ExecutionsOptions configure the Standard executions of a local backend or
// of flowtui serve.
type ExecutionsOptions struct {
	// Find returns the flow of that name, or nil when there is none (as
	// Starter.Find): an execution keeps the version it started with.
	Find func(name string) (*Compiled, error)
	// Runner brings the mocks and the HTTP client; its Limit is not used.
	Runner *Runner
	// Limit is a Standard execution's time limit; 0: fnf.StandardLimit.
	Limit time.Duration
	// MaxExecutions and MaxBytes bound what is kept in memory; the oldest
	// finished executions go first. 0: the defaults.
	MaxExecutions int
	MaxBytes      int64
}

// Executions runs Standard executions asynchronously, in process, and keeps
// them in memory with their events. It implements fnf.Standard; the local
// backend and flowtui serve share it.
type Executions struct {
	opts      ExecutionsOptions
	runner    Runner
	callbacks *callbacks
	bytes     atomic.Int64 // of every record kept, events included
	wg        sync.WaitGroup

	mu       sync.Mutex
	flows    map[string]*flowExecutions
	finished []*record // in the order they ended: the first to go
	count    int
	running  int
	seq      int64
	closed   bool
}

// flowExecutions are the executions of one flow, by name and in start order.
type flowExecutions struct {
	byName map[string]*record
	list   []*record // ascending seq
}

// record is one execution. Its fields below mu are guarded by Executions.mu.
type record struct {
	flow, name, input, definition string
	callbackToken                 string // the parent's task, from CallbackFnFTaskToken
	seq                           int64
	started                       time.Time
	log                           *eventLog
	cancel                        context.CancelCauseFunc
	done                          chan struct{} // closed when it has ended

	status                  fnf.Status
	output, errCode, errMsg string
	stopped                 time.Time
	size                    int64 // besides its events
	counted                 int64 // the events counted against MaxEvents, its end included
}

// recordOverhead is what a record costs besides its texts and events, roughly.
const recordOverhead = 512

// NewExecutions returns an empty set of executions.
func NewExecutions(o ExecutionsOptions) *Executions {
	if o.MaxExecutions <= 0 {
		o.MaxExecutions = DefaultMaxExecutions
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Limit <= 0 {
		o.Limit = fnf.StandardLimit
	}
	e := &Executions{opts: o, callbacks: newCallbacks(), flows: map[string]*flowExecutions{}}
	if o.Runner != nil {
		e.runner = *o.Runner
	}
	// The events are the per-state view of a Standard execution.
	e.runner.Limit, e.runner.NoTrace = o.Limit, true
	return e
}

var _ fnf.Standard = (*Executions)(nil)

// answer completes a refusal with what the call was about; nil stays nil.
func (e *Executions) answer(ae *fnf.APIError, action, flow string) error {
	if ae == nil {
		return nil
	}
	ae.Action, ae.FlowName = action, flow
	return ae
}

// StartExecution starts a Standard execution and returns it Running. The
// request passes the checks of every start (Starter's); then a name given
// and still running returns that execution, and one that has ended is
// ExecutionAlreadyExists.
func (e *Executions) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	const action = "StartExecution"
	c, err := lookup(e.opts.Find, StartRequest{FlowName: req.FlowName, ExecutionName: req.ExecutionName, Input: req.Input, TestCase: req.TestCase})
	if err != nil {
		return fnf.ExecutionDetail{}, e.refused(err, action, req.FlowName)
	}
	if ae := standardStartable(req.FlowName, c); ae != nil {
		return fnf.ExecutionDetail{}, e.answer(ae, action, req.FlowName)
	}
	if req.CallbackFnFTaskToken != "" {
		if ae := checkToken("CallbackFnFTaskToken", req.CallbackFnFTaskToken); ae != nil {
			return fnf.ExecutionDetail{}, e.answer(ae, action, req.FlowName)
		}
	}
	name := req.ExecutionName
	if name == "" {
		name = NewID()
	}
	x, err := e.runner.prepare(c.def, RunRequest{Flow: c.Flow.Name, ExecutionName: name, Input: req.Input, TestCase: req.TestCase})
	if err != nil {
		return fnf.ExecutionDetail{}, e.answer(refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, err.Error()), action, req.FlowName)
	}
	rec := &record{flow: c.Flow.Name, name: name, input: req.Input, definition: c.Flow.Definition,
		callbackToken: req.CallbackFnFTaskToken, started: x.clock.Now(), status: fnf.StatusRunning, done: make(chan struct{})}
	rec.size = int64(recordOverhead + len(rec.flow) + len(rec.name) + len(rec.input))
	rec.log = &eventLog{grow: func(n int64) { e.bytes.Add(n) }}
	// The execution outlives the request: its context is its own.
	rctx, cancel := context.WithCancelCause(context.Background())
	rec.cancel = cancel
	d, ae := e.admit(rec)
	if ae != nil || d.Name != "" {
		cancel(nil)
		return d, e.answer(ae, action, req.FlowName)
	}
	x.std = &standardRun{log: rec.log, callbacks: e.callbacks}
	rec.log.add(rec.started, fnf.EventExecutionStarted, "", 0, eventDetail{Input: x.input})
	go func() {
		defer e.wg.Done() // added by admit
		e.execute(rctx, rec, x, c.def)
	}()
	return e.detail(rec, false), nil
}

// refused passes on a refusal of lookup with what the call was about.
func (e *Executions) refused(err error, action, flow string) error {
	if ae, ok := err.(*fnf.APIError); ok {
		return e.answer(ae, action, flow)
	}
	return fmt.Errorf("%s: flow %q: %w", action, flow, err)
}

// admit applies the name rule and the bounds, then keeps rec. A name still
// running answers that execution (d.Name set) rather than rec.
func (e *Executions) admit(rec *record) (d fnf.ExecutionDetail, ae *fnf.APIError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return d, refusal(http.StatusServiceUnavailable, fnf.CodeServiceUnavailable, "the engine is stopping; no execution starts")
	}
	fe := e.flows[rec.flow]
	if old := fe.get(rec.name); old != nil {
		if old.status == fnf.StatusRunning {
			return old.detailLocked(false), nil
		}
		return d, refusal(http.StatusBadRequest, fnf.CodeExecutionAlreadyExists,
			fmt.Sprintf("execution %q of flow %q has already ended (%s): execution names are unique per flow; choose another", rec.name, rec.flow, old.status))
	}
	for e.count >= e.opts.MaxExecutions || e.bytes.Load()+rec.size > e.opts.MaxBytes {
		if !e.evictLocked() {
			return d, refusal(http.StatusTooManyRequests, fnf.CodeResourceThrottled, fmt.Sprintf(
				"%d executions are running and no finished one is left to make room (at most %d executions and %d MiB kept): wait for some to end, or stop some",
				e.running, e.opts.MaxExecutions, e.opts.MaxBytes>>20))
		}
	}
	if fe = e.flows[rec.flow]; fe == nil { // eviction may have removed it
		fe = &flowExecutions{byName: map[string]*record{}}
		e.flows[rec.flow] = fe
	}
	e.seq++
	rec.seq = e.seq
	fe.byName[rec.name] = rec
	fe.list = append(fe.list, rec)
	e.count++
	e.running++
	// Under the lock that Close takes before it waits: no Add can race its Wait.
	e.wg.Add(1)
	e.bytes.Add(rec.size)
	return d, nil
}

func (fe *flowExecutions) get(name string) *record {
	if fe == nil {
		return nil
	}
	return fe.byName[name]
}

// evictLocked forgets the execution that ended first; false when none has.
func (e *Executions) evictLocked() bool {
	if len(e.finished) == 0 {
		return false
	}
	rec := e.finished[0]
	e.finished[0] = nil
	e.finished = e.finished[1:]
	fe := e.flows[rec.flow]
	delete(fe.byName, rec.name)
	if i, ok := slices.BinarySearchFunc(fe.list, rec.seq, func(r *record, seq int64) int { return int(r.seq - seq) }); ok {
		fe.list = slices.Delete(fe.list, i, i+1)
	}
	if len(fe.list) == 0 {
		delete(e.flows, rec.flow)
	}
	e.count--
	e.bytes.Add(-rec.size - rec.log.bytes)
	return true
}

// execute runs rec to its end and records how it ended.
func (e *Executions) execute(ctx context.Context, rec *record, x *execution, def *Definition) {
	res, err := x.run(ctx, def)
	typ, d := fnf.EventExecutionSucceeded, eventDetail{}
	var stop *stopCause
	e.mu.Lock()
	switch {
	case err != nil && asStop(context.Cause(ctx), &stop):
		rec.status, rec.errCode, rec.errMsg = fnf.StatusStopped, stop.code, stop.cause
		typ = fnf.EventExecutionStopped
	case res == nil:
		rec.status, rec.errCode, rec.errMsg = fnf.StatusFailed, CodeTaskFailed, fmt.Sprint(err)
		typ = fnf.EventExecutionFailed
	default:
		rec.status, rec.output, rec.errCode, rec.errMsg = res.Status, res.Output, res.ErrorCode, res.ErrorMessage
		switch res.Status {
		case fnf.StatusTimedOut:
			typ = fnf.EventExecutionTimedOut
		case fnf.StatusFailed:
			typ = fnf.EventExecutionFailed
		}
	}
	if rec.status != fnf.StatusSucceeded {
		d = eventDetail{Error: rec.errCode, Cause: rec.errMsg}
	} else {
		d.Output = jsonText(rec.output)
	}
	e.mu.Unlock()
	stopped := x.clock.Now()
	rec.log.add(stopped, typ, "", 1, d) // the event every execution keeps for its end
	e.mu.Lock()
	rec.stopped = stopped
	rec.counted = x.events.Load() + 1 // and the end kept for it
	rec.size += int64(len(rec.output) + len(rec.errCode) + len(rec.errMsg))
	e.bytes.Add(int64(len(rec.output) + len(rec.errCode) + len(rec.errMsg)))
	e.running--
	e.finished = append(e.finished, rec)
	for e.bytes.Load() > e.opts.MaxBytes && e.evictLocked() {
	}
	status, output, code, msg := rec.status, rec.output, rec.errCode, rec.errMsg
	e.mu.Unlock()
	close(rec.done)
	rec.cancel(nil)
	e.completeParent(rec.callbackToken, status, output, code, msg)
}

// completeParent answers the parent's task of an execution started with
// CallbackFnFTaskToken, when that task waits here.
func (e *Executions) completeParent(token string, status fnf.Status, output, code, msg string) {
	if token == "" {
		return
	}
	if status == fnf.StatusSucceeded {
		_ = e.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: token, Output: output})
		return
	}
	_ = e.ReportTaskFailed(context.Background(), fnf.ReportRequest{TaskToken: token, Error: code, Cause: msg})
}

// stopCause ends an execution Stopped, with the Error and Cause given.
type stopCause struct{ code, cause string }

func (s *stopCause) Error() string { return "stopped: " + s.code + ": " + s.cause }

func asStop(err error, s **stopCause) bool {
	c, ok := err.(*stopCause)
	*s = c
	return ok
}

// Running is the number of executions not yet ended.
func (e *Executions) Running() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.running
}

// Close stops every running execution (Stopped, Error CodeShutdown, with
// the cause given) and waits for them to end, or for ctx. No execution
// starts afterwards.
func (e *Executions) Close(ctx context.Context, cause string) error {
	e.mu.Lock()
	e.closed = true
	for _, fe := range e.flows {
		for _, rec := range fe.list {
			if rec.status == fnf.StatusRunning {
				rec.cancel(&stopCause{code: CodeShutdown, cause: cause})
			}
		}
	}
	e.mu.Unlock()
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stopping %d running executions: %w", e.Running(), context.Cause(ctx))
	}
}
