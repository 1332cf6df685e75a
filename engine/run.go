package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowtui/flowtui/engine/expression"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/clock"
)

// Error codes the engine raises (see the package documentation).
const (
	CodeTimeout         = "FnF.Timeout"
	CodeDataLimit       = "FnF.DataLimitExceeded"
	CodeExpression      = "FnF.ExpressionError"
	CodeNoChoiceMatched = "FnF.NoChoiceMatched"
	CodeTaskFailed      = "FnF.TaskFailed"
	CodeNotMocked       = "flowtui.TaskNotMocked"
	CodeEventLimit      = "FnF.EventLimitExceeded"
	CodeCancelled       = "FnF.Cancelled"
)

// Limits of the service that a run enforces.
const (
	ExpressLimit  = 5 * time.Minute
	MaxStateBytes = 64 << 10
	// MaxEvents is the service's limit of events per execution, counted as
	// GetExecutionHistory lists them (see the package documentation).
	MaxEvents = 5000
)

// Runner runs definitions. The zero value runs Express executions with no mocks.
type Runner struct {
	Mocks *Mocks
	HTTP  *http.Client  // for HTTP:Request tasks; nil: a client of its own
	Limit time.Duration // execution time limit; 0: the Express limit
	// NoTrace skips the per-state trace, for callers that never show it
	// (flowtui serve): building it is a tenth of a short run.
	NoTrace bool
	// FastWait runs each execution on a virtual clock (internal/clock):
	// Waits, retry intervals, callback Timeouts and the time limit take no
	// real time, and every time reported (start, end, a state's duration,
	// an event's time) is the time the flow would take.
	FastWait bool
}

// RunRequest is one execution.
type RunRequest struct {
	Flow          string
	ExecutionName string // the full name, e.g. "try1:6c0b…"
	Input         string // JSON object text; empty means {}
	TestCase      string // mock test case; empty: the flow's "Default" case, if any
}

// Result is the end of an execution.
type Result struct {
	Status       fnf.Status // StatusSucceeded, StatusFailed or StatusTimedOut
	Output       string     // JSON text; empty unless Succeeded
	ErrorCode    string
	ErrorMessage string
	Started      time.Time
	Stopped      time.Time
	Trace        []fnf.Step
}

// flowError is an error inside the flow: Retry and Catch see it unless fatal.
type flowError struct {
	Code, Detail string
	fatal        bool
}

func (e *flowError) Error() string {
	if e.Detail == "" {
		return e.Code
	}
	return e.Code + ": " + e.Detail
}

// Run executes def. Set-up problems (an unknown test case, input that is not a
// JSON object) are returned as errors; everything that happens inside the flow
// is in the Result.
func (r *Runner) Run(ctx context.Context, def *Definition, req RunRequest) (*Result, error) {
	if def.callback != nil {
		return nil, errors.New(callbackRefusal(def.callback))
	}
	x, err := r.prepare(def, req)
	if err != nil {
		return nil, err
	}
	return x.run(ctx, def)
}

// prepare checks what a run needs before it starts (its input, its test
// case) and returns the execution, ready to run.
func (r *Runner) prepare(def *Definition, req RunRequest) (*execution, error) {
	input, err := decodeInput(req.Input)
	if err != nil {
		return nil, err
	}
	cases, err := r.Mocks.testCase(req.Flow, req.TestCase)
	if err != nil {
		return nil, err
	}
	limit := r.Limit
	if limit <= 0 {
		limit = ExpressLimit
	}
	if def.Legacy && def.legacy.timeout > 0 {
		limit = min(limit, def.legacy.timeout)
	}
	var clk clock.Clock = clock.Real{}
	if r.FastWait {
		clk = clock.NewVirtual()
	}
	x := &execution{
		r: r, req: req, cases: cases, global: map[string]any{}, limit: limit, input: input, clock: clk,
		exec:  map[string]any{"Name": req.ExecutionName, "Input": input, "RoleArn": ""},
		trace: make([]step, 0, len(def.States)),
	}
	x.events.Store(1) // ExecutionStarted
	return x, nil
}

// run executes def to its end. A stopped ctx ends it early; the error is
// then ctx's.
func (x *execution) run(ctx context.Context, def *Definition) (*Result, error) {
	r, req, input := x.r, x.req, x.input
	res := &Result{Started: x.clock.Now()}
	rctx, cancel := clock.WithTimeoutCause(x.clock, ctx, x.limit, &timeLimitError{x.limit})
	defer cancel()
	// The first state's input is the execution input: nothing else measures
	// it. Its compact encoding is no longer than the text given.
	var out any
	var ferr *flowError
	if def.Legacy {
		out, ferr = x.runLegacy(rctx, def.legacy, input)
	} else if start := def.byName[def.StartAt]; len(req.Input) > MaxStateBytes {
		if ferr = checkSize(start, "input", input, nil); ferr != nil {
			x.record(step{state: start.Name, typ: start.Type, input: input, err: ferr, start: res.Started})
		}
	}
	if ferr == nil && !def.Legacy {
		out, ferr = x.scope(rctx, &def.Scope, input, "")
	}
	res.Stopped = x.clock.Now()
	enc := jsonCache{}
	if !r.NoTrace {
		res.Trace = x.steps(enc)
	}
	switch {
	case ferr == nil:
		b, err := enc.encode(out)
		if err != nil {
			return nil, fmt.Errorf("encode output: %w", err)
		}
		res.Status, res.Output = fnf.StatusSucceeded, b
	case ferr.Code == CodeTimeout && errors.As(context.Cause(rctx), new(*timeLimitError)):
		res.Status, res.ErrorCode, res.ErrorMessage = fnf.StatusTimedOut, ferr.Code, ferr.Detail
	default:
		res.Status, res.ErrorCode, res.ErrorMessage = fnf.StatusFailed, ferr.Code, ferr.Detail
	}
	if ctx.Err() != nil && res.Status != fnf.StatusSucceeded {
		return res, ctx.Err()
	}
	return res, nil
}

// timeLimitError ends a run that lasts longer than its limit.
type timeLimitError struct{ limit time.Duration }

func (e *timeLimitError) Error() string {
	switch {
	case e.limit == ExpressLimit:
		return "the execution ran past the 5-minute Express limit"
	case e.limit == fnf.StandardLimit:
		return "the execution ran past the one-year Standard limit"
	case e.limit >= 24*time.Hour:
		days := math.Round(e.limit.Hours()/24*10) / 10
		return fmt.Sprintf("the execution ran past its time limit of %s days", strconv.FormatFloat(days, 'f', -1, 64))
	}
	return fmt.Sprintf("the execution ran past its time limit of %s", e.limit)
}

func decodeInput(s string) (any, error) {
	if s == "" {
		return map[string]any{}, nil
	}
	v, err := expression.DecodeJSON([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("input: must be a JSON object")
	}
	return v, nil
}

// execution is the state of one run.
type execution struct {
	r     *Runner
	req   RunRequest
	cases map[string]*mockResponse // state name → its mocked responses
	exec  map[string]any           // $Context.Execution

	mu     sync.Mutex
	global map[string]any
	trace  []step
	events atomic.Int64 // events so far, as the service counts them
	limit  time.Duration
	input  any
	// clock is the time the execution runs on: real, or virtual (FastWait).
	clock clock.Clock
	// std is what a Standard execution adds (its event history, its
	// callback tasks); nil for an Express run.
	std *standardRun

	// invocations numbers the mocked states' attempts across the execution.
	invocations invocations
}

// step is a trace entry with its values kept as they are; they are encoded
// once, at the end of the run.
type step struct {
	state, typ    string
	input, output any
	err           *flowError
	attempt       int
	start         time.Time
	dur           time.Duration
}

// since is the time from start to now on the execution's clock.
func (x *execution) since(start time.Time) time.Duration { return x.clock.Now().Sub(start) }

func (x *execution) record(s step) {
	if x.r.NoTrace {
		return
	}
	x.mu.Lock()
	x.trace = append(x.trace, s)
	x.mu.Unlock()
}

func (x *execution) steps(enc jsonCache) []fnf.Step {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]fnf.Step, len(x.trace))
	for i, s := range x.trace {
		cs := fnf.Step{State: s.state, Type: s.typ, Attempt: s.attempt, Start: s.start, Duration: s.dur,
			Input: enc.text(s.input), Output: enc.text(s.output)}
		if s.err != nil {
			cs.Error = s.err.Error()
		}
		out[i] = cs
	}
	return out
}

// env is what the expressions of a state see. $Context.Current is a copy:
// the engine goes on changing current, and a value an expression builds from
// it (`c.$: $Context.Current`) must neither change afterwards nor come to
// contain itself.
func (x *execution) env(input, output any, current map[string]any) expression.Env {
	x.mu.Lock()
	g := x.global
	x.mu.Unlock()
	return expression.Env{
		Input: input, Output: output, Global: g,
		Context: map[string]any{"Execution": x.exec, "Current": maps.Clone(current)},
	}
}

// scope runs the states of sc from StartAt; path prefixes state names in the
// trace ("Parallel1/Branch0/", "Map1[3]/").
func (x *execution) scope(ctx context.Context, sc *Scope, input any, path string) (any, *flowError) {
	st := sc.byName[sc.StartAt]
	for {
		if err := ctx.Err(); err != nil {
			return nil, ctxError(ctx)
		}
		out, next, ferr := x.state(ctx, st, input, path)
		if ferr != nil {
			return nil, ferr
		}
		if next == "" {
			return out, nil
		}
		st, input = sc.byName[next], out
	}
}

// spend counts n events of st against the limit per execution; one is kept
// for the event that ends the execution. Passing the limit is fatal: Retry
// and Catch would only add events.
func (x *execution) spend(st *State, n int64) *flowError { return x.spendAs(st.Name, n) }

// spendAs is spend for a state or legacy step by its name.
func (x *execution) spendAs(name string, n int64) *flowError {
	if x.events.Add(n) <= MaxEvents-1 {
		return nil
	}
	// Given back, so that the count stays the number of events recorded:
	// the run ends here anyway.
	x.events.Add(-n)
	return &flowError{Code: CodeEventLimit, fatal: true, Detail: fmt.Sprintf(
		"state %q: the execution passed the service's limit of %d events per execution; a loop that never reaches its end state is the usual cause", name, MaxEvents)}
}

// ctxError turns the end of the run's context into a flow error.
func ctxError(ctx context.Context) *flowError {
	cause := context.Cause(ctx)
	if errors.As(cause, new(*timeLimitError)) {
		return &flowError{Code: CodeTimeout, Detail: cause.Error(), fatal: true}
	}
	return &flowError{Code: CodeCancelled, Detail: "the run was stopped", fatal: true}
}
