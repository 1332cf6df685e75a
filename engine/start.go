package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/flowtui/flowtui/client"
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
// is a *client.APIError with the service's status and code; so is a set-up
// problem the run finds (an unknown test case). A stopped ctx ends the run
// early: callers look at ctx before the error. The Execution has no
// RequestId: that is the caller's.
func (s Starter) Start(ctx context.Context, req StartRequest) (client.Execution, *Result, error) {
	if e := req.check(); e != nil {
		return client.Execution{}, nil, e
	}
	c, err := s.Find(req.FlowName)
	if err != nil {
		return client.Execution{}, nil, err
	}
	if e := startable(req.FlowName, c); e != nil {
		return client.Execution{}, nil, e
	}
	if s.Admit != nil {
		if err := s.Admit(); err != nil {
			return client.Execution{}, nil, err
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
	if err != nil {
		return client.Execution{}, nil, refusal(http.StatusBadRequest, client.CodeInvalidArgument, err.Error())
	}
	return client.Execution{
		FlowName: c.Flow.Name, Name: name, Status: res.Status,
		ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage, Output: res.Output,
		StartedTime: FormatTime(res.Started), StoppedTime: FormatTime(res.Stopped),
	}, res, nil
}

// check applies the rules of the request itself, before any flow is looked up.
func (r StartRequest) check() *client.APIError {
	if r.ExecutionName != "" {
		if e := CheckName("ExecutionName", "execution", r.ExecutionName); e != nil {
			return e
		}
	}
	return checkInput(r.Input)
}

// startable says why flow c (nil: there is none) cannot run synchronously.
func startable(name string, c *Compiled) *client.APIError {
	switch {
	case c == nil:
		return FlowNotExists(name)
	case c.Err() != nil:
		return refusal(http.StatusBadRequest, client.CodeInvalidArgument,
			fmt.Sprintf("flow %q cannot run: its definition has problems:\n%v", name, c.Err()))
	case c.Legacy():
		return refusal(http.StatusBadRequest, client.CodeActionNotSupported, fmt.Sprintf("flow %q: %v", name, ErrLegacy))
	case c.Flow.Mode() != client.ModeExpress:
		return refusal(http.StatusBadRequest, client.CodeActionNotSupported, fmt.Sprintf(
			"Standard execution is not supported: flow %q is a Standard flow, and StartSyncExecution runs Express flows only", name))
	}
	return nil
}

// FlowNotExists answers a call that names a flow there is none of.
func FlowNotExists(name string) *client.APIError {
	return refusal(http.StatusNotFound, client.CodeFlowNotExists, fmt.Sprintf("flow %q does not exist", name))
}

// CheckName applies the service's name rule to the value of a parameter:
// nil, or InvalidArgument naming the parameter. It runs on every call, so
// the usual case, a valid name, costs no regular expression;
// client.ValidateName words the refusal.
func CheckName(param, kind, name string) *client.APIError {
	if validName(name) {
		return nil
	}
	return refusal(http.StatusBadRequest, client.CodeInvalidArgument, fmt.Sprintf("%s: %v", param, client.ValidateName(kind, name)))
}

// validName is client.ValidateName's rule: 1–128 letters, digits, _ or -,
// starting with a letter or _.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// checkInput is client.CheckInput as a refusal. The usual input, a valid
// JSON object within the limit, is accepted at the cost of one scan;
// anything else goes to client.CheckInput, which finds and places the
// problem.
func checkInput(input string) *client.APIError {
	if input == "" {
		return nil
	}
	if len(input) <= client.MaxInputBytes && strings.HasPrefix(strings.TrimLeft(input, " \t\r\n"), "{") &&
		utf8.ValidString(input) && json.Valid([]byte(input)) {
		return nil
	}
	err := client.CheckInput([]byte(input))
	var ie *client.InputError
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
	return refusal(http.StatusBadRequest, client.CodeInvalidArgument, msg)
}

// refusal is an answer of the API before any request-specific detail: the
// caller adds its request id and where the answer comes from.
func refusal(status int, code, msg string) *client.APIError {
	return &client.APIError{HTTPStatus: status, Code: code, Message: msg}
}
