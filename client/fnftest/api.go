package fnftest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

const defaultLimit = 60

type listFlowsResponse struct {
	RequestId string
	Flows     []Flow
	NextToken string `json:",omitempty"` // absent on the last page, as in the real API
}

// listFlows pages through flows in insertion order; NextToken is the name of
// the first flow of the next page.
func (s *Server) listFlows(w http.ResponseWriter, c *call) {
	limit := defaultLimit
	if v := c.params.Get("Limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			s.fail(w, c, invalidArg("Limit %s is invalid; it must be an integer from 1 to 999.", v))
			return
		}
		limit = n
	}
	s.mu.Lock()
	flows := append([]Flow(nil), s.flows...)
	start := 0
	token := c.params.Get("NextToken")
	if token != "" {
		start = s.flowIndexLocked(token)
	}
	s.mu.Unlock()
	if start < 0 {
		s.fail(w, c, invalidArg("NextToken %s is invalid.", token))
		return
	}
	end := min(start+limit, len(flows))
	resp := listFlowsResponse{RequestId: c.id, Flows: flows[start:end]}
	if resp.Flows == nil {
		resp.Flows = []Flow{} // "Flows":[] rather than null
	}
	if end < len(flows) {
		resp.NextToken = flows[end].Name
	}
	s.ok(w, c, resp)
}

func (s *Server) lookupFlow(name string) (Flow, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.flowIndexLocked(name); i >= 0 {
		return s.flows[i], nil
	}
	return Flow{}, errf(http.StatusNotFound, "FlowNotExists", "Flow %s does not exist.", name)
}

func (s *Server) describeFlow(w http.ResponseWriter, c *call) {
	name := c.params.Get("Name")
	if name == "" {
		s.fail(w, c, missing("Name"))
		return
	}
	f, e := s.lookupFlow(name)
	if e != nil {
		s.fail(w, c, e)
		return
	}
	s.ok(w, c, struct {
		RequestId string
		Flow
	}{c.id, f})
}

type syncResponse struct {
	RequestId    string
	FlowName     string
	Name         string
	Status       string
	ErrorCode    string
	ErrorMessage string
	Output       string
	StartedTime  string
	StoppedTime  string
}

func (s *Server) startSyncExecution(w http.ResponseWriter, c *call) {
	p := c.params
	in := SyncCall{
		FlowName:      p.Get("FlowName"),
		ExecutionName: p.Get("ExecutionName"),
		Input:         p.Get("Input"),
		Qualifier:     p.Get("Qualifier"),
	}
	_, e := s.startable(in.FlowName, in.ExecutionName, in.Input, "Express", "Standard execution is not supported")
	if e != nil {
		s.fail(w, c, e)
		return
	}

	started := s.now()
	s.mu.Lock()
	hook := s.onSync
	s.mu.Unlock()
	var reply SyncReply
	if hook != nil {
		reply = hook(in)
	}
	if reply.Status == "" {
		reply.Status = "Succeeded"
	}
	if reply.Status == "Succeeded" && reply.Output == "" {
		reply.Output = in.Input
		if reply.Output == "" {
			reply.Output = "{}"
		}
	}
	if reply.Delay > 0 {
		t := time.NewTimer(reply.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.r.Context().Done():
			return // client gone: nothing to answer
		case <-s.done:
			return
		}
	}

	name := newUUID(false)
	if in.ExecutionName != "" {
		name = in.ExecutionName + ":" + name
	}
	s.ok(w, c, syncResponse{
		RequestId:    c.id,
		FlowName:     in.FlowName,
		Name:         name,
		Status:       reply.Status,
		ErrorCode:    reply.ErrorCode,
		ErrorMessage: reply.ErrorMessage,
		Output:       reply.Output,
		StartedTime:  started.UTC().Format(millisLayout),
		StoppedTime:  s.now().UTC().Format(millisLayout),
	})
}

// validExecutionName matches ^[A-Za-z_][A-Za-z0-9_-]{0,127}$ without a
// package-level regexp.
func validExecutionName(n string) bool {
	if len(n) == 0 || len(n) > 128 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// startable applies the checks both starts make, in the service's order: the
// flow named, the execution name, the input, the flow exists and has the
// mode the action runs (else ActionNotSupported with refusal).
func (s *Server) startable(flow, name, input, mode, refusal string) (Flow, *apiError) {
	if flow == "" {
		return Flow{}, missing("FlowName")
	}
	if name != "" && !validExecutionName(name) {
		return Flow{}, invalidArg("ExecutionName %s is invalid; it must match ^[A-Za-z_][A-Za-z0-9_-]{0,127}$.", name)
	}
	if input != "" && !json.Valid([]byte(input)) {
		return Flow{}, invalidArg("Input is not valid JSON.")
	}
	f, e := s.lookupFlow(flow)
	if e != nil {
		return Flow{}, e
	}
	if f.ExecutionMode != mode {
		return Flow{}, errf(http.StatusBadRequest, "ActionNotSupported", "%s", refusal)
	}
	return f, nil
}
