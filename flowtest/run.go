package flowtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// Backend is what cases run on: the local engine (engine.Local, which
// gives a trace and compiled flows), flowtui serve or the cloud. Standard
// flows need its Standard side (fnf.StandardOf).
type Backend = fnf.Backend

// compiler is what the local engine offers besides its Backend: its flows
// compiled once, so that a thousand cases do not load a flow a thousand
// times (engine.Local reads its flows directory on every call, to show
// edits at once), and the runner of its executions (mocks, clock).
type compiler interface {
	Compiled() ([]*engine.Compiled, error)
	Runner() *engine.Runner
}

// session is one Run's view of the backend.
type session struct {
	b       Backend
	flows   map[string]*engine.Compiled // nil: ask the backend each time
	starter engine.Starter
}

func newSession(b Backend) *session {
	s := &session{b: b}
	c, ok := b.(compiler)
	if !ok {
		return s
	}
	all, err := c.Compiled()
	if err != nil {
		return s
	}
	s.flows = make(map[string]*engine.Compiled, len(all))
	for _, f := range all {
		s.flows[f.Flow.Name] = f
	}
	s.starter = engine.Starter{
		Find:   func(name string) (*engine.Compiled, error) { return s.flows[name], nil },
		Runner: c.Runner(),
	}
	return s
}

// Options configure a run of test files.
type Options struct {
	Run  *regexp.Regexp // only cases whose "flow/case" or case name matches
	Jobs int            // cases at once; 0: the number of CPUs
	// Timeout bounds one case's real time; 0: no bound. A case past it
	// could not run (Errored), and its Standard execution is stopped.
	Timeout time.Duration
	// FastWait says the local engine skips waits (engine.Runner.FastWait),
	// for the advice of a case past its Timeout.
	FastWait bool
}

// Result is one case's result.
type Result struct {
	File     string        `json:"file"`
	Flow     string        `json:"flow"`
	Case     string        `json:"case"`
	Line     int           `json:"line"`
	Status   string        `json:"status"` // pass, fail, skip or error
	Skip     string        `json:"skip,omitempty"`
	Notes    []string      `json:"notes,omitempty"` // what could not be checked here, and why
	Err      string        `json:"error,omitempty"` // the case could not run
	Failures []Failure     `json:"failures,omitempty"`
	Duration time.Duration `json:"durationNs"`
	Outcome  Outcome       `json:"-"`
	Trace    []fnf.Step    `json:"-"`

	c *Case
}

// Result statuses.
const (
	Passed  = "pass"
	Failed  = "fail"
	Skipped = "skip"
	Errored = "error" // the case could not run: no such flow, bad set-up
)

// Run runs the cases of files and returns their results in file order.
func Run(ctx context.Context, b Backend, files []*File, o Options) []*Result {
	var todo []*Result
	for _, f := range files {
		for _, c := range f.Cases {
			if o.Run != nil && !o.Run.MatchString(f.Flow+"/"+c.Name) {
				continue
			}
			todo = append(todo, &Result{File: f.Path, Flow: f.Flow, Case: c.Name, Line: c.Line, c: c})
		}
	}
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	s := newSession(b)
	work := make(chan *Result)
	var wg sync.WaitGroup
	for range min(jobs, max(len(todo), 1)) {
		wg.Go(func() {
			for r := range work {
				runCase(ctx, s, r, o)
			}
		})
	}
	for _, r := range todo {
		work <- r
	}
	close(work)
	wg.Wait()
	return todo
}

func runCase(ctx context.Context, b *session, r *Result, o Options) {
	if r.c.Skip != "" {
		r.Status, r.Skip = Skipped, r.c.Skip
		return
	}
	cctx := ctx
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeoutCause(ctx, o.Timeout, &caseTimeout{d: o.Timeout, skip: b.flows != nil && !o.FastWait})
		defer cancel()
	}
	out, trace, err := execute(cctx, b, r.Flow, r.c)
	r.Outcome, r.Trace, r.Duration = out, trace, out.Duration
	if err != nil {
		if ctx.Err() == nil && cctx.Err() != nil {
			err = context.Cause(cctx)
		}
		r.Status, r.Err = Errored, err.Error()
		return
	}
	r.Failures = Check(r.c, out)
	if r.c.Expect.HasStates && !out.HasStates {
		r.Notes = append(r.Notes, "states not checked: this backend reports no states for an Express run (only the local engine traces one)")
	}
	r.Status = Passed
	if len(r.Failures) > 0 {
		r.Status = Failed
	}
}

// execute runs one case: Express flows with StartSyncExecution (their trace
// comes with the result), Standard ones with StartExecution, waiting for the
// end, and their states read from the execution's history.
func execute(ctx context.Context, s *session, flow string, c *Case) (Outcome, []fnf.Step, error) {
	mode, err := s.mode(ctx, flow)
	if err != nil {
		return Outcome{}, nil, err
	}
	if mode == fnf.ModeStandard {
		std, ok := fnf.StandardOf(s.b)
		if !ok {
			return Outcome{}, nil, fmt.Errorf("flow %s is Standard; this backend does not run Standard executions", flow)
		}
		return s.executeStandard(ctx, std, flow, c)
	}
	start := time.Now()
	res, err := s.startSync(ctx, fnf.SyncRequest{FlowName: flow, ExecutionName: "test", Input: c.Input, TestCase: c.TestCase})
	took := time.Since(start)
	if err != nil {
		return Outcome{Duration: took}, nil, err
	}
	o := Outcome{
		Status: string(res.Status), ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
		Output: res.Output, Duration: s.duration(res.Execution.StartedTime, res.Execution.StoppedTime, took), HasStates: res.Trace != nil,
	}
	if res.Status != fnf.StatusSucceeded {
		o.Output = ""
	}
	for _, s := range res.Trace {
		o.States = append(o.States, s.State)
	}
	return o, res.Trace, nil
}

// duration is how long a case's execution took: the client's round trip,
// unless on the local engine the execution's own time, from its start to
// its stop, is longer by more than the millisecond its times are rounded
// to: its waits were skipped (--fast-wait), and the flow would take that.
func (s *session) duration(started, stopped string, roundTrip time.Duration) time.Duration {
	a, ok1 := fnf.ParseTime(started)
	b, ok2 := fnf.ParseTime(stopped)
	if s.flows == nil || !ok1 || !ok2 {
		return roundTrip
	}
	if span := b.Sub(a); span > roundTrip+time.Millisecond {
		return span
	}
	return roundTrip
}

// caseTimeout ends a case that runs past Options.Timeout; skip: --fast-wait
// would have skipped its waits (a local run on the real clock).
type caseTimeout struct {
	d    time.Duration
	skip bool
}

func (e *caseTimeout) Error() string {
	msg := fmt.Sprintf("the case did not end within %s (--timeout) and was stopped: a Wait, a loop, a slow call or a callback task nobody answers?", e.d)
	if e.skip {
		msg += " --fast-wait skips the local engine's waits; a mock of a callback task answers it"
	}
	return msg
}

// mode is the flow's execution mode.
func (s *session) mode(ctx context.Context, flow string) (string, error) {
	if s.flows != nil {
		if c := s.flows[flow]; c != nil {
			return c.Flow.Mode(), nil
		}
	}
	fl, err := s.b.DescribeFlow(ctx, flow)
	if err != nil {
		return "", err
	}
	return fl.Mode(), nil
}

// startSync runs an Express execution: through the engine's Starter over
// the compiled flows when the backend is the local engine (the checks and
// the run that Local.StartSyncExecution makes), else through the backend.
func (s *session) startSync(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	if s.flows == nil || s.flows[req.FlowName] == nil {
		return s.b.StartSyncExecution(ctx, req)
	}
	exec, res, err := s.starter.Start(ctx, engine.StartRequest{FlowName: req.FlowName, ExecutionName: req.ExecutionName, Input: req.Input, TestCase: req.TestCase})
	if err != nil {
		return nil, err
	}
	return &fnf.SyncResult{Execution: exec, Trace: res.Trace}, nil
}

func (s *session) executeStandard(ctx context.Context, b fnf.Standard, flow string, c *Case) (Outcome, []fnf.Step, error) {
	start := time.Now()
	ex, err := b.StartExecution(ctx, fnf.StartRequest{FlowName: flow, Input: c.Input, TestCase: c.TestCase})
	if err != nil {
		return Outcome{}, nil, err
	}
	for !ex.Status.Terminal() {
		var d fnf.ExecutionDetail
		if ctx.Err() == nil {
			d, err = b.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: flow, ExecutionName: ex.Name, Wait: fnf.MaxDescribeWait})
		}
		if ctx.Err() != nil {
			// The case is over (interrupted, or past its time): its
			// execution must not go on, here or on the service.
			stopCase(b, flow, ex.Name, context.Cause(ctx))
			return Outcome{}, nil, ctx.Err()
		}
		if err != nil {
			return Outcome{}, nil, err
		}
		ex = d
	}
	took := time.Since(start)
	evs, err := fnf.AllEvents(ctx, b, fnf.HistoryRequest{FlowName: flow, ExecutionName: ex.Name})
	if err != nil {
		return Outcome{}, nil, fmt.Errorf("reading the history of %s: %w", ex.Name, err)
	}
	o := Outcome{Status: string(ex.Status), ErrorCode: ex.ErrorCode, ErrorMessage: ex.ErrorMessage,
		Duration: s.duration(ex.StartedTime, ex.StoppedTime, took), HasStates: true}
	if ex.Status == fnf.StatusSucceeded {
		o.Output = ex.Output
	}
	var trace []fnf.Step
	for _, e := range evs {
		switch e.Type {
		case "StepEntered":
			o.States = append(o.States, e.StepName)
			trace = append(trace, fnf.Step{State: e.StepName})
		case "StepFailed":
			if len(trace) > 0 {
				trace[len(trace)-1].Error = eventError(e.EventDetail)
			}
		}
	}
	return o, trace, nil
}

// stopCase stops the execution of a case that ended early, within a few
// seconds of its own (the case's context is over), with why as its cause.
func stopCase(b fnf.Standard, flow, name string, why error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cause := "flowtui test was interrupted"
	var ct *caseTimeout
	if errors.As(why, &ct) {
		cause = fmt.Sprintf("flowtui test: the case ran past its %s (--timeout)", ct.d)
	}
	_, _ = b.StopExecution(ctx, fnf.StopRequest{FlowName: flow, ExecutionName: name, Error: "flowtui.TestStopped", Cause: cause})
}

// eventError is the Error of an event's detail (JSON, its Error and Cause
// keys), or the detail itself when it has none.
func eventError(detail string) string {
	var d struct{ Error, Cause string }
	if json.Unmarshal([]byte(detail), &d) != nil || d.Error == "" {
		return detail
	}
	if d.Cause != "" {
		return d.Error + ": " + d.Cause
	}
	return d.Error
}

// MarkUpdated turns results whose only failures were exact outputs that Update
// rewrote into passes: the expectation now holds what the run gave.
func MarkUpdated(rs []*Result, changes []Change) {
	updated := map[[3]string]bool{}
	for _, c := range changes {
		updated[[3]string{c.File, c.Flow, c.Case}] = true
	}
	for _, r := range rs {
		if r.Status != Failed || !updated[[3]string{r.File, r.Flow, r.Case}] {
			continue
		}
		rest := r.Failures[:0:0]
		for _, f := range r.Failures {
			if f.Expect != "output" {
				rest = append(rest, f)
			}
		}
		r.Failures = rest
		if len(rest) == 0 {
			r.Status = Passed
		}
	}
}

// CheckFlows makes a test file naming a flow the backend does not have a
// bad test file, found before anything runs.
func CheckFlows(ctx context.Context, b Backend, files []*File) Errors {
	var errs Errors
	for _, f := range files {
		if _, err := b.DescribeFlow(ctx, f.Flow); err != nil {
			errs = append(errs, &Error{File: f.Path, Line: f.FlowAt[0], Col: f.FlowAt[1], Msg: fmt.Sprintf("flow %q: %v", f.Flow, err)})
		}
	}
	return errs
}
