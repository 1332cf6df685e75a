package engine

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/flowtui/flowtui/engine/expression"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/clock"
)

// task runs one attempt of a Task and records its three events (scheduled;
// started, or submitted for a callback; and how it ended). A callback task
// of a Standard execution waits for its callback (callbackWait).
func (x *execution) task(ctx context.Context, st *State, in any, current map[string]any) (any, *flowError) {
	var token string
	var wait <-chan callbackReport
	if callback(st) && x.std != nil {
		token, wait = x.std.callbacks.open()
		defer x.std.callbacks.drop(token)
		current["TaskToken"] = token
	}
	params, perr := x.params(st, in, current)
	scheduled := x.emit(fnf.EventTaskScheduled, st.Name, 0, eventDetail{Resource: st.Action, TaskMode: st.TaskMode, Input: params})
	if wait != nil {
		x.emit(fnf.EventTaskSubmitted, st.Name, scheduled, eventDetail{TaskToken: token})
	} else {
		x.emit(fnf.EventTaskStarted, st.Name, scheduled, eventDetail{})
	}
	out, ferr := params, perr
	switch {
	case perr != nil:
	case st.TaskMode == ModeWaitForCustomCallback && wait != nil:
		out, ferr = x.callbackWait(ctx, st, params, wait)
	default:
		// RequestComplete; and WaitForSystemCallback, whose callback the
		// integrated service would send with its answer: locally the
		// answer (the mock) is the callback.
		out, ferr = x.call(ctx, st, params)
	}
	x.taskEnd(st.Name, scheduled, out, ferr)
	return out, ferr
}

// callbackWait runs a WaitForCustomCallback task. When the test case mocks
// the task, the mock is the callback, as Step Functions Local takes a
// mocked .waitForTaskToken task: its Return (or Result) is what
// ReportTaskSucceeded would send, its Throw what ReportTaskFailed would, and
// nothing waits. Otherwise the task is submitted (HTTP:Request is called;
// other actions have nothing to call locally) and waits for
// ReportTaskSucceeded or ReportTaskFailed, the task's Timeout, or the end
// of the run.
func (x *execution) callbackWait(ctx context.Context, st *State, params any, wait <-chan callbackReport) (any, *flowError) {
	if x.cases[st.Name] != nil {
		return x.call(ctx, st, params)
	}
	if st.Action == ActionHTTP {
		if _, ferr := x.call(ctx, st, params); ferr != nil {
			return nil, ferr
		}
	}
	r, timedOut, err := clock.Receive(x.clock, ctx, wait, st.Timeout)
	switch {
	case err != nil:
		return nil, ctxError(ctx)
	case timedOut:
		return nil, &flowError{Code: CodeTimeout, Detail: fmt.Sprintf("state %q: no callback (ReportTaskSucceeded or ReportTaskFailed) came within its Timeout of %s", st.Name, st.Timeout)}
	case r.failed:
		return nil, &flowError{Code: r.error, Detail: r.cause}
	}
	return r.output, nil
}

// callbackReport is a ReportTaskSucceeded (output) or ReportTaskFailed.
type callbackReport struct {
	failed       bool
	output       any
	error, cause string
}

// callbacks are the task tokens that tasks wait on.
type callbacks struct {
	mu    sync.Mutex
	waits map[string]chan callbackReport
}

func newCallbacks() *callbacks { return &callbacks{waits: map[string]chan callbackReport{}} }

// open makes a task token and the channel its report arrives on.
func (c *callbacks) open() (string, <-chan callbackReport) {
	token := "flowtui-" + NewID()
	ch := make(chan callbackReport, 1)
	c.mu.Lock()
	c.waits[token] = ch
	c.mu.Unlock()
	return token, ch
}

// drop forgets a token whose task has ended: a late report finds none.
func (c *callbacks) drop(token string) {
	c.mu.Lock()
	delete(c.waits, token)
	c.mu.Unlock()
}

// report hands r to the task waiting on token: once; an unknown token is
// TaskTokenNotExists.
func (c *callbacks) report(token string, r callbackReport) *fnf.APIError {
	c.mu.Lock()
	ch, ok := c.waits[token]
	delete(c.waits, token)
	c.mu.Unlock()
	if !ok {
		return refusal(http.StatusBadRequest, fnf.CodeTaskTokenNotExists,
			fmt.Sprintf("no task waits on task token %q: its task already has its answer, its execution ended, or the token is wrong", token))
	}
	ch <- r
	return nil
}

// maxTaskToken bounds a task token a report may carry.
const maxTaskToken = 1024

// checkToken refuses a task token that no task could have: empty, too long,
// or with characters other than printable ASCII.
func checkToken(param, token string) *fnf.APIError {
	bad := func(why string) *fnf.APIError {
		return refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, fmt.Sprintf("%s: %s", param, why))
	}
	switch {
	case token == "":
		return bad("a task token is required: take it from the task's TaskSubmitted event")
	case len(token) > maxTaskToken:
		return bad(fmt.Sprintf("%d bytes; a task token is at most %d", len(token), maxTaskToken))
	}
	for _, r := range token {
		if r <= ' ' || r > '~' {
			return bad("a task token is printable ASCII without spaces")
		}
	}
	return nil
}

// checkErrorCause is fnf.CheckErrorCause as a refusal.
func checkErrorCause(errCode, cause string) *fnf.APIError {
	if le := fnf.CheckErrorCause(errCode, cause); le != nil {
		return refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, le.Error())
	}
	return nil
}

// ReportTaskSucceeded completes the callback task waiting on req.TaskToken:
// req.Output (JSON; empty means {}) becomes the task's result.
func (e *Executions) ReportTaskSucceeded(_ context.Context, req fnf.ReportRequest) error {
	if ae := checkToken("TaskToken", req.TaskToken); ae != nil {
		return e.answer(ae, "ReportTaskSucceeded", "")
	}
	var out any = map[string]any{}
	if req.Output != "" {
		v, err := expression.DecodeJSON([]byte(req.Output))
		if err != nil {
			return e.answer(refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, fmt.Sprintf("Output: not JSON: %v", err)), "ReportTaskSucceeded", "")
		}
		out = v
	}
	return e.answer(e.callbacks.report(req.TaskToken, callbackReport{output: out}), "ReportTaskSucceeded", "")
}

// ReportTaskFailed fails the callback task waiting on req.TaskToken with
// req.Error and req.Cause, which its Retry and Catch see.
func (e *Executions) ReportTaskFailed(_ context.Context, req fnf.ReportRequest) error {
	const action = "ReportTaskFailed"
	if ae := checkToken("TaskToken", req.TaskToken); ae != nil {
		return e.answer(ae, action, "")
	}
	if ae := checkErrorCause(req.Error, req.Cause); ae != nil {
		return e.answer(ae, action, "")
	}
	return e.answer(e.callbacks.report(req.TaskToken, callbackReport{failed: true, error: req.Error, cause: req.Cause}), action, "")
}
