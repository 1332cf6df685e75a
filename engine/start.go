package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/flowtui/flowtui/fnf"
)

// StartRequest is a StartSyncExecution as the local backend and flowtui serve
// receive it.
type StartRequest struct {
	FlowName      string
	ExecutionName string // "", or what the execution's {Name}:{UUID} begins with
	Input         string // a JSON object; "" means {}
	TestCase      string // mock test case; "" for the flow's default
}

// Starter is the one front door for starting an execution: the local backend
// and flowtui serve both start runs through it, so that the checks, their
// order, the execution's name and the errors are the same on both.
type Starter struct {
	// Find returns the flow of that name, or nil when there is none.
	Find   func(name string) (*Compiled, error)
	Runner *Runner
	// Admit, when set, is asked once the request and the flow have passed
	// their checks, just before the run: an error refuses the run (serve's
	// concurrency cap). Release is called after a run Admit let through.
	Admit   func() error
	Release func()
}

// Start checks the request and the flow, then runs it to its end. A refusal
// is a *fnf.APIError with the service's status and code; so is a set-up
// problem the run finds (an unknown test case). A stopped ctx ends the run
// early: callers look at ctx before the error. The Execution has no
// RequestId: that is the caller's.
func (s Starter) Start(ctx context.Context, req StartRequest) (fnf.Execution, *Result, error) {
	c, err := lookup(s.Find, req)
	if err != nil {
		return fnf.Execution{}, nil, err
	}
	if e := startable(req.FlowName, c); e != nil {
		return fnf.Execution{}, nil, e
	}
	if s.Admit != nil {
		if err := s.Admit(); err != nil {
			return fnf.Execution{}, nil, err
		}
		if s.Release != nil {
			defer s.Release()
		}
	}
	name := NewID()
	if req.ExecutionName != "" {
		name = req.ExecutionName + ":" + name
	}
	res, err := c.Run(ctx, s.Runner, RunRequest{Flow: c.Flow.Name, ExecutionName: name, Input: req.Input, TestCase: req.TestCase})
	switch {
	case err != nil && ctx.Err() != nil && res != nil:
		// Stopped: what ran until the stop (its times, its trace) comes
		// with ctx's error.
		return fnf.Execution{FlowName: c.Flow.Name, Name: name}, res, err
	case err != nil:
		return fnf.Execution{}, nil, refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, err.Error())
	}
	return fnf.Execution{
		FlowName: c.Flow.Name, Name: name, Status: res.Status,
		ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage, Output: res.Output,
		StartedTime: fnf.FormatTime(res.Started), StoppedTime: fnf.FormatTime(res.Stopped),
	}, res, nil
}

// check applies the rules of the request itself, before any flow is looked up.
func (r StartRequest) check() *fnf.APIError {
	if r.ExecutionName != "" {
		if e := CheckName("ExecutionName", "execution", r.ExecutionName); e != nil {
			return e
		}
	}
	return checkInput(r.Input)
}

// lookup applies the request's own rules, then finds the flow and checks
// that it loads: what StartSyncExecution and StartExecution share.
func lookup(find func(string) (*Compiled, error), req StartRequest) (*Compiled, error) {
	if e := req.check(); e != nil {
		return nil, e
	}
	c, err := find(req.FlowName)
	switch {
	case err != nil:
		return nil, err
	case c == nil:
		return nil, FlowNotExists(req.FlowName)
	case c.Err() != nil || c.def == nil:
		return nil, refusal(http.StatusBadRequest, fnf.CodeInvalidArgument,
			fmt.Sprintf("flow %q cannot run: its definition has problems:\n%v", req.FlowName, c.Err()))
	}
	return c, nil
}

// standardStartable says why flow c cannot start as a Standard execution:
// StartExecution runs Standard flows, legacy FDL ones included.
func standardStartable(name string, c *Compiled) *fnf.APIError {
	if c.Legacy() || c.Flow.Mode() == fnf.ModeStandard {
		return nil
	}
	return refusal(http.StatusBadRequest, fnf.CodeActionNotSupported,
		fmt.Sprintf("flow %q is an Express flow, and StartExecution runs Standard flows only: run it with StartSyncExecution", name))
}

// startable says why flow c cannot run synchronously.
func startable(name string, c *Compiled) *fnf.APIError {
	switch {
	case c.Flow.Mode() != fnf.ModeExpress:
		msg := fmt.Sprintf("Standard execution is not supported: flow %q is a Standard flow, and StartSyncExecution runs Express flows only", name)
		if c.def != nil && c.def.callback != nil {
			msg += "; and " + callbackRefusal(c.def.callback)
		}
		return refusal(http.StatusBadRequest, fnf.CodeActionNotSupported, msg)
	}
	return nil
}

// FlowNotExists answers a call that names a flow there is none of.
func FlowNotExists(name string) *fnf.APIError {
	return refusal(http.StatusNotFound, fnf.CodeFlowNotExists, fmt.Sprintf("flow %q does not exist", name))
}

// CheckName applies the service's name rule to the value of a parameter:
// nil, or InvalidArgument naming the parameter.
func CheckName(param, kind, name string) *fnf.APIError {
	if err := fnf.ValidateName(kind, name); err != nil {
		return refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, fmt.Sprintf("%s: %v", param, err))
	}
	return nil
}

// checkInput is fnf.CheckInput as a refusal.
func checkInput(input string) *fnf.APIError {
	err := fnf.CheckInput([]byte(input))
	var ie *fnf.InputError
	msg := ""
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ie):
		msg = fmt.Sprintf("Input: %v", err)
	case ie.Line > 0:
		msg = fmt.Sprintf("Input: line %d, column %d: %s", ie.Line, ie.Column, ie.Msg)
	default:
		msg = "Input: " + ie.Msg
	}
	return refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, msg)
}

// refusal is an answer of the API before any request-specific detail: the
// caller adds its request id and where the answer comes from.
func refusal(status int, code, msg string) *fnf.APIError {
	return &fnf.APIError{HTTPStatus: status, Code: code, Message: msg}
}
