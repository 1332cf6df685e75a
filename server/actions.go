package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// Actions lists the actions the server answers, in the order of the README.
func Actions() []string {
	return []string{"ListFlows", "DescribeFlow", "CreateFlow", "UpdateFlow", "DeleteFlow", "StartSyncExecution"}
}

// handler returns the function of an action, or nil for one not served.
func (s *Server) handler(action string) func(*request) {
	switch action {
	case "ListFlows":
		return s.listFlows
	case "DescribeFlow":
		return s.describeFlow
	case "CreateFlow":
		return s.createFlow
	case "UpdateFlow":
		return s.updateFlow
	case "DeleteFlow":
		return s.deleteFlow
	case "StartSyncExecution":
		return s.startSyncExecution
	}
	return nil
}

const (
	defaultLimit = 60
	maxLimit     = 999
	flowType     = "FDL"
)

type listFlowsResponse struct {
	RequestId string
	Flows     []fnf.Flow
	NextToken string `json:",omitempty"` // absent on the last page, as the service does
}

func (s *Server) listFlows(rq *request) {
	limit := defaultLimit
	if v := rq.params.get("Limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			rq.fail(invalid("Limit %q: use a whole number from 1 to %d", v, maxLimit))
			return
		}
		limit = n
	}
	flows, next := s.flows.page(rq.params.get("NextToken"), limit)
	rq.ok(listFlowsResponse{RequestId: rq.id, Flows: flows, NextToken: next})
}

// flowName reads and checks the parameter that names the flow.
func (rq *request) flowName(param string) (string, *apiError) {
	name := rq.params.get(param)
	rq.flow = name
	if name == "" {
		return "", missing(param)
	}
	if !validName(name) {
		return "", invalid("%s: %v", param, fnf.ValidateName("flow", name))
	}
	return name, nil
}

// validName is fnf.ValidateName's rule (1–128 letters, digits, _ or -,
// starting with a letter or _) without its regular expression: it runs on
// every call. fnf.ValidateName still words the error.
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

func (s *Server) describeFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	c := s.flows.get(name)
	if c == nil {
		rq.fail(flowNotExists(name))
		return
	}
	f := c.Flow
	f.RequestId = rq.id
	rq.ok(f)
}

func (s *Server) createFlow(rq *request) {
	name := rq.params.get("Name")
	rq.flow = name
	var absent []string
	for _, p := range []string{"Name", "Definition", "Type"} {
		if rq.params.get(p) == "" {
			absent = append(absent, p)
		}
	}
	// Description is documented as required; the service's own examples
	// leave it out, so it is not insisted on.
	if len(absent) > 0 {
		rq.fail(missing(absent...))
		return
	}
	if err := fnf.ValidateName("flow", name); err != nil {
		rq.fail(invalid("Name: %v", err))
		return
	}
	mode := rq.params.get("ExecutionMode")
	if mode == "" {
		mode = fnf.ModeStandard // the API's rule: empty means Standard
	}
	if mode != fnf.ModeExpress && mode != fnf.ModeStandard {
		rq.fail(invalid("ExecutionMode %q: use Express or Standard", mode))
		return
	}
	now := formatTime(s.now())
	f := fnf.Flow{
		Name: name, Id: newID(), ExecutionMode: mode,
		Description: rq.params.get("Description"), RoleArn: rq.params.get("RoleArn"),
		ResourceGroupId: rq.params.get("ResourceGroupId"), CreatedTime: now, LastModifiedTime: now,
	}
	if e := setCommon(rq, &f); e != nil {
		rq.fail(e)
		return
	}
	c, e := s.flows.create(name, func() (*engine.Compiled, *apiError) { return compile(f) })
	if e != nil {
		rq.fail(e)
		return
	}
	out := c.Flow
	out.RequestId = rq.id
	rq.ok(out)
}

// setCommon applies what CreateFlow and UpdateFlow share: Definition, Type
// and Environment, each only when sent.
func setCommon(rq *request, f *fnf.Flow) *apiError {
	if v, ok := rq.params.lookup("Type"); ok && v != flowType {
		return invalid("Type %q: the only flow type is %s (it covers the CloudFlow spec and the legacy FDL)", v, flowType)
	}
	f.Type = flowType
	if v, ok := rq.params.lookup("Definition"); ok {
		if v == "" {
			return invalid("Definition is empty: send the flow's definition (YAML or JSON)")
		}
		f.Definition = v
	}
	if v, ok := rq.params.lookup("Environment"); ok {
		if v != "" && !json.Valid([]byte(v)) {
			return invalid(`Environment is not valid JSON: send {"Variables":[{"Name":…,"Value":…}]}`)
		}
		f.Environment = json.RawMessage(v)
	}
	return nil
}

// compile validates a definition; problems come with Definition:line:column.
func compile(f fnf.Flow) (*engine.Compiled, *apiError) {
	f.Error = ""
	c, err := engine.CompileFlow(f)
	if err != nil {
		var de *engine.DefinitionError
		if errors.As(err, &de) {
			return nil, invalid("the definition of flow %q has problems:\n%v", f.Name, err)
		}
		return nil, invalid("flow %q: %v", f.Name, err)
	}
	return c, nil
}

func (s *Server) updateFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	c, e := s.flows.update(name, func(old *engine.Compiled) (*engine.Compiled, *apiError) {
		f := old.Flow
		if v, ok := rq.params.lookup("ExecutionMode"); ok && v != "" && v != f.Mode() {
			return nil, invalid("ExecutionMode cannot change: flow %q is %s; create a new flow with ExecutionMode %s instead", name, f.Mode(), v)
		}
		if e := setCommon(rq, &f); e != nil {
			return nil, e
		}
		for param, field := range map[string]*string{"Description": &f.Description, "RoleArn": &f.RoleArn} {
			if v, ok := rq.params.lookup(param); ok {
				*field = v
			}
		}
		f.LastModifiedTime = formatTime(s.now())
		return compile(f)
	})
	if e != nil {
		rq.fail(e)
		return
	}
	out := c.Flow
	out.RequestId = rq.id
	rq.ok(out)
}

func (s *Server) deleteFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	if e := s.flows.remove(name); e != nil {
		rq.fail(e)
		return
	}
	rq.ok(struct{ RequestId string }{rq.id})
}

func (s *Server) startSyncExecution(rq *request) {
	name, e := rq.flowName("FlowName")
	if e != nil {
		rq.fail(e)
		return
	}
	p := rq.params
	execName, input := p.get("ExecutionName"), p.get("Input")
	if execName != "" && !validName(execName) {
		rq.fail(invalid("ExecutionName: %v", fnf.ValidateName("execution", execName)))
		return
	}
	if e := checkInput(input); e != nil {
		rq.fail(e)
		return
	}
	c := s.flows.get(name)
	switch {
	case c == nil:
		rq.fail(flowNotExists(name))
		return
	case c.Err() != nil:
		rq.fail(invalid("flow %q does not load, so it cannot run:\n%v", name, c.Err()))
		return
	case c.Flow.Mode() != fnf.ModeExpress:
		rq.fail(errorf(http.StatusBadRequest, fnf.CodeActionNotSupported,
			"Standard execution is not supported: flow %q is a Standard flow, and StartSyncExecution runs Express flows only", name))
		return
	case c.Legacy():
		rq.fail(errorf(http.StatusBadRequest, fnf.CodeActionNotSupported, "flow %q: %v", name, engine.ErrLegacy))
		return
	}
	// Over the cap the answer is immediate: a queue would only turn overload
	// into timeouts, and the client retries throttled calls with backoff.
	if n := s.running.Add(1); n > s.maxRunning {
		s.running.Add(-1)
		rq.fail(errorf(http.StatusTooManyRequests, fnf.CodeResourceThrottled,
			"%d executions are running, the most this server runs at once (--max-concurrent); retry later", s.maxRunning))
		return
	}
	defer s.running.Add(-1)

	full := newID()
	if execName != "" {
		full = execName + ":" + full
	}
	ctx := rq.r.Context()
	res, err := c.Run(ctx, &s.runner, engine.RunRequest{
		Flow: name, ExecutionName: full, Input: input, TestCase: rq.r.Header.Get(fnf.TestCaseHeader),
	})
	if ctx.Err() != nil && (err != nil || res.Status != fnf.StatusSucceeded) {
		// Stopped before its end: by the end of the shutdown grace, or
		// because the client went away, and then nobody is left to answer.
		if errors.Is(context.Cause(ctx), errShuttingDown) {
			rq.fail(shuttingDown(CodeServiceUnavailable, fmt.Sprintf("the run was cancelled before it finished, at the end of the %s shutdown grace", s.grace)))
			return
		}
		rq.status, rq.code = statusClientGone, "ClientGone"
		return
	}
	if err != nil {
		// A set-up problem, found before the first state: an unknown test case.
		rq.fail(invalid("%v", err))
		return
	}
	rq.ok(fnf.Execution{
		RequestId: rq.id, FlowName: name, Name: full, Status: res.Status,
		ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage, Output: res.Output,
		StartedTime: formatTime(res.Started), StoppedTime: formatTime(res.Stopped),
	})
}

// checkInput is fnf.CheckInput with a fast path for the usual case, a
// valid JSON object; the slow path positions the problem in the parameter.
func checkInput(input string) *apiError {
	if input == "" {
		return nil
	}
	if trimmed := strings.TrimLeft(input, " \t\r\n"); trimmed != "" && trimmed[0] == '{' && json.Valid([]byte(input)) {
		return nil
	}
	err := fnf.CheckInput([]byte(input))
	var ie *fnf.InputError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ie):
		return invalid("Input: %v", err)
	case ie.Line > 0:
		return invalid("Input: line %d, column %d: %s", ie.Line, ie.Column, ie.Msg)
	}
	return invalid("Input: %s", ie.Msg)
}

// statusClientGone is logged for a run whose client left before the end
// (nginx's 499): no answer was written.
const statusClientGone = 499

// formatLatency keeps log lines short and comparable.
func formatLatency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return d.Round(time.Millisecond).String()
}
