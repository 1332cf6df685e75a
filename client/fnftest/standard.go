package fnftest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The Standard actions, written from the public API reference pages (one per
// action, e.g.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution)
// and independent of flowtui's engine and serve.

// Limits the service documents for these actions.
const (
	maxExecutionsLimit = 99
	maxEventsLimit     = 999
	maxWaitSeconds     = 60
	maxStopError       = 128
	maxStopCause       = 4096
)

// executionResponse is an execution on the wire: StartExecution,
// DescribeExecution and StopExecution answer it.
type executionResponse struct {
	RequestId string
	Execution
}

func (s *Server) startExecution(w http.ResponseWriter, c *call) {
	p := c.params
	in := StartCall{FlowName: p.Get("FlowName"), ExecutionName: p.Get("ExecutionName"), Input: p.Get("Input"),
		Qualifier: p.Get("Qualifier"), CallbackFnFTaskToken: p.Get("CallbackFnFTaskToken")}
	f, e := s.startable(in.FlowName, in.ExecutionName, in.Input, "Standard", "Express execution is not supported by StartExecution; use StartSyncExecution")
	if e != nil {
		s.fail(w, c, e)
		return
	}

	s.mu.Lock()
	if in.ExecutionName == "" {
		in.ExecutionName = newUUID(false)
	}
	if old := s.std.execs[in.FlowName][in.ExecutionName]; old != nil {
		// One execution per name: a running one is returned, a finished one refused.
		view := old.Execution
		s.mu.Unlock()
		if old.Status != "Running" {
			s.fail(w, c, errf(http.StatusBadRequest, "ExecutionAlreadyExists", "Execution %s already exists and has ended (%s).", in.ExecutionName, view.Status))
			return
		}
		s.ok(w, c, executionResponse{c.id, view})
		return
	}
	ex := s.newExecutionLocked(in, f.Definition)
	hook := s.std.onStart
	s.mu.Unlock()

	if hook != nil {
		if r := hook(in); r.Status != "" && r.Status != "Running" {
			if err := s.Finish(in.FlowName, in.ExecutionName, r.Status, r.Output, r.Error, r.Cause); err != nil {
				s.fail(w, c, errf(http.StatusInternalServerError, "InternalServerError", "the start script: %v", err))
				return
			}
		}
	}
	s.mu.Lock()
	view := ex.Execution
	s.mu.Unlock()
	s.ok(w, c, executionResponse{c.id, view})
}

func (s *Server) newExecutionLocked(in StartCall, definition string) *execution {
	s.std.seq++
	ex := &execution{seq: s.std.seq, done: make(chan struct{}), Execution: Execution{
		FlowName: in.FlowName, Name: in.ExecutionName, Status: "Running", Input: in.Input,
		FlowDefinition: definition, StartedTime: s.stamp(), Qualifier: in.Qualifier,
	}}
	if s.std.execs == nil {
		s.std.execs = map[string]map[string]*execution{}
	}
	if s.std.execs[in.FlowName] == nil {
		s.std.execs[in.FlowName] = map[string]*execution{}
	}
	s.std.execs[in.FlowName][in.ExecutionName] = ex
	s.addEventLocked(ex, Event{Type: "ExecutionStarted", EventDetail: detail(map[string]string{"input": in.Input})})
	return ex
}

// lookupExecution finds FlowName's ExecutionName, both required.
func (s *Server) lookupExecution(c *call) (*execution, *apiError) {
	flow, name := c.params.Get("FlowName"), c.params.Get("ExecutionName")
	for _, p := range []string{"FlowName", "ExecutionName"} {
		if c.params.Get(p) == "" {
			return nil, missing(p)
		}
	}
	if _, e := s.lookupFlow(flow); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ex := s.std.execs[flow][name]; ex != nil {
		return ex, nil
	}
	return nil, errf(http.StatusNotFound, "ExecutionNotExists", "Execution %s does not exist in flow %s.", name, flow)
}

// describeExecution answers at once, or with WaitTimeSeconds as soon as the
// execution ends (or the wait is over).
func (s *Server) describeExecution(w http.ResponseWriter, c *call) {
	wait, e := intParam(c, "WaitTimeSeconds", 0, 0, maxWaitSeconds)
	if e != nil {
		s.fail(w, c, e)
		return
	}
	ex, e := s.lookupExecution(c)
	if e != nil {
		s.fail(w, c, e)
		return
	}
	if wait > 0 {
		t := time.NewTimer(time.Duration(wait) * time.Second)
		defer t.Stop()
		select {
		case <-ex.done:
		case <-t.C:
		case <-c.r.Context().Done():
			return // client gone
		case <-s.done:
			return
		}
	}
	s.mu.Lock()
	view := ex.Execution
	s.mu.Unlock()
	s.ok(w, c, executionResponse{c.id, view})
}

type listExecutionsResponse struct {
	RequestId  string
	Executions []Execution
	NextToken  string `json:",omitempty"`
}

// listExecutions pages newest first. NextToken is opaque: it encodes where
// the next page starts.
func (s *Server) listExecutions(w http.ResponseWriter, c *call) {
	p := c.params
	flow := p.Get("FlowName")
	if flow == "" {
		s.fail(w, c, missing("FlowName"))
		return
	}
	limit, e := intParam(c, "Limit", defaultLimit, 1, maxExecutionsLimit)
	if e == nil {
		_, e = s.lookupFlow(flow)
	}
	keep, fe := listFilter(c)
	if e == nil {
		e = fe
	}
	from := -1
	if tok := p.Get("NextToken"); e == nil && tok != "" {
		if from = decodeToken(tok); from < 0 {
			e = invalidArg("NextToken %s is invalid.", tok)
		}
	}
	if e != nil {
		s.fail(w, c, e)
		return
	}
	s.mu.Lock()
	var all []*execution
	for _, ex := range s.std.execs[flow] {
		if (from < 0 || ex.seq <= from) && keep(ex.Execution) {
			all = append(all, ex)
		}
	}
	slices.SortFunc(all, func(a, b *execution) int { return b.seq - a.seq })
	resp := listExecutionsResponse{RequestId: c.id, Executions: []Execution{}}
	for i, ex := range all {
		if i == limit {
			resp.NextToken = encodeToken(ex.seq)
			break
		}
		view := ex.Execution
		if p.Get("MetadataOnly") == "true" {
			view.Input, view.Output, view.FlowDefinition = "", "", ""
		}
		resp.Executions = append(resp.Executions, view)
	}
	s.mu.Unlock()
	s.ok(w, c, resp)
}

// listFilter reads ListExecutions' filters: ExecutionNamePrefix, Status,
// StartedTimeBegin, StartedTimeEnd (RFC 3339) and Qualifier.
func listFilter(c *call) (func(Execution) bool, *apiError) {
	p := c.params
	prefix, status, qualifier := p.Get("ExecutionNamePrefix"), p.Get("Status"), p.Get("Qualifier")
	switch status {
	case "", "Starting", "Running", "Stopped", "Succeeded", "Failed", "TimedOut":
	default:
		return nil, invalidArg("Status %s is invalid.", status)
	}
	var bounds [2]time.Time
	for i, name := range []string{"StartedTimeBegin", "StartedTimeEnd"} {
		if v := p.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, invalidArg("%s %s is not an RFC 3339 time.", name, v)
			}
			bounds[i] = t
		}
	}
	return func(e Execution) bool {
		started, _ := time.Parse(time.RFC3339Nano, e.StartedTime)
		return strings.HasPrefix(e.Name, prefix) && (status == "" || e.Status == status) &&
			(qualifier == "" || e.Qualifier == qualifier) &&
			(bounds[0].IsZero() || !started.Before(bounds[0])) && (bounds[1].IsZero() || !started.After(bounds[1]))
	}, nil
}

func encodeToken(seq int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("exec:" + strconv.Itoa(seq)))
}

// decodeToken returns the position a NextToken names, or -1.
func decodeToken(tok string) int {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return -1
	}
	rest, ok := strings.CutPrefix(string(b), "exec:")
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 1 {
		return -1
	}
	return n
}

type historyResponse struct {
	RequestId string
	Events    []Event
	NextToken string `json:",omitempty"`
}

// getExecutionHistory pages oldest first; NextToken is the EventId the next
// page starts at.
func (s *Server) getExecutionHistory(w http.ResponseWriter, c *call) {
	limit, e := intParam(c, "Limit", defaultLimit, 1, maxEventsLimit)
	var ex *execution
	if e == nil {
		ex, e = s.lookupExecution(c)
	}
	from := int64(0)
	if tok := c.params.Get("NextToken"); e == nil && tok != "" {
		n, err := strconv.ParseInt(tok, 10, 64)
		if err != nil || n < 1 {
			e = invalidArg("NextToken %s is invalid.", tok)
		}
		from = n
	}
	if e != nil {
		s.fail(w, c, e)
		return
	}
	s.mu.Lock()
	resp := historyResponse{RequestId: c.id, Events: []Event{}}
	for _, ev := range ex.events {
		if ev.EventId < from {
			continue
		}
		if len(resp.Events) == limit {
			resp.NextToken = strconv.FormatInt(ev.EventId, 10)
			break
		}
		resp.Events = append(resp.Events, ev)
	}
	s.mu.Unlock()
	s.ok(w, c, resp)
}

func (s *Server) stopExecution(w http.ResponseWriter, c *call) {
	errCode, cause := c.params.Get("Error"), c.params.Get("Cause")
	var e *apiError
	switch {
	case utf8.RuneCountInString(errCode) > maxStopError:
		e = invalidArg("Error is longer than %d characters.", maxStopError)
	case utf8.RuneCountInString(cause) > maxStopCause:
		e = invalidArg("Cause is longer than %d characters.", maxStopCause)
	}
	var ex *execution
	if e == nil {
		ex, e = s.lookupExecution(c)
	}
	if e != nil {
		s.fail(w, c, e)
		return
	}
	s.mu.Lock()
	if !ex.running() {
		status := ex.Status
		s.mu.Unlock()
		s.fail(w, c, invalidArg("Execution %s is not running; it ended %s.", ex.Name, status))
		return
	}
	s.endLocked(ex, "Stopped", "", errCode, cause)
	view := ex.Execution
	s.mu.Unlock()
	s.ok(w, c, executionResponse{c.id, view})
}

// reportTask completes the task waiting on TaskToken, once.
func (s *Server) reportTask(w http.ResponseWriter, c *call, succeeded bool) {
	token := c.params.Get("TaskToken")
	if token == "" {
		s.fail(w, c, missing("TaskToken"))
		return
	}
	out := c.params.Get("Output")
	if succeeded && out != "" && !json.Valid([]byte(out)) {
		s.fail(w, c, invalidArg("Output is not valid JSON."))
		return
	}
	s.mu.Lock()
	ex := s.std.tokens[token]
	if ex == nil {
		s.mu.Unlock()
		s.fail(w, c, errf(http.StatusBadRequest, "TaskTokenNotExists", "Task token %s does not exist.", token))
		return
	}
	delete(s.std.tokens, token)
	ev := Event{Type: "TaskFailed", EventDetail: detail(map[string]string{"error": c.params.Get("Error"), "cause": c.params.Get("Cause")})}
	if succeeded {
		ev = Event{Type: "TaskSucceeded", EventDetail: detail(map[string]string{"output": out})}
	}
	s.addEventLocked(ex, ev)
	s.mu.Unlock()
	s.ok(w, c, struct{ RequestId string }{c.id})
}
