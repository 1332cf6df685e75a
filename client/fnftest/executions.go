package fnftest

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Execution is a Standard execution as the fake keeps it, with the fields
// DescribeExecution returns.
type Execution struct {
	FlowName       string
	Name           string
	Status         string
	Input          string
	Output         string
	FlowDefinition string
	StartedTime    string
	StoppedTime    string
	// Qualifier is what StartExecution was given; ListExecutions filters on it.
	Qualifier string `json:"-"`
}

// Event is one entry of an execution's history, as GetExecutionHistory
// returns it.
type Event struct {
	EventId         int64
	ScheduleEventId int64
	StepName        string
	Type            string
	Time            string
	EventDetail     string
}

// StartCall is what a StartExecution hook receives.
type StartCall struct {
	FlowName, ExecutionName, Input, Qualifier, CallbackFnFTaskToken string
}

// StartReply is a StartExecution hook's script for the new execution. An
// empty Status leaves it Running, for the test to drive (Finish, AddEvents,
// WaitForTask, or a StopExecution call); any other status ends it at once
// with Output, or with Error and Cause.
type StartReply struct {
	Status, Output, Error, Cause string
}

// execution is the fake's state of one Standard execution.
type execution struct {
	Execution
	seq    int // start order across the server: ListExecutions sorts on it
	events []Event
	done   chan struct{} // closed when it ends
}

func (e *execution) running() bool { return e.Status == "Running" }

// standard holds the Standard executions, per flow and name.
type standard struct {
	execs   map[string]map[string]*execution
	seq     int
	tokens  map[string]*execution // task token → the execution waiting on it
	onStart func(StartCall) StartReply
}

// OnStart sets the script of every execution StartExecution starts.
func (s *Server) OnStart(fn func(StartCall) StartReply) {
	s.mu.Lock()
	s.std.onStart = fn
	s.mu.Unlock()
}

// Executions returns copies of a flow's executions, in start order.
func (s *Server) Executions(flow string) []Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*execution
	for _, e := range s.std.execs[flow] {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *execution) int { return a.seq - b.seq })
	res := make([]Execution, len(out))
	for i, e := range out {
		res[i] = e.Execution
	}
	return res
}

// Finish ends a running execution with status: Output for Succeeded, Error
// and Cause otherwise. DescribeExecution calls waiting on it answer at once.
func (s *Server) Finish(flow, name, status, output, errCode, cause string) error {
	switch status {
	case "Succeeded", "Failed", "TimedOut", "Stopped":
	default:
		return fmt.Errorf("fnftest: %q is not a status an execution ends with", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.runningLocked(flow, name)
	if err != nil {
		return err
	}
	s.endLocked(e, status, output, errCode, cause)
	return nil
}

// AddEvents appends events to an execution's history. A zero EventId gets
// the next one, an empty Time the server's clock.
func (s *Server) AddEvents(flow, name string, events ...Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.std.execs[flow][name]
	if e == nil {
		return fmt.Errorf("fnftest: no execution %q of flow %q", name, flow)
	}
	for _, ev := range events {
		s.addEventLocked(e, ev)
	}
	return nil
}

// WaitForTask makes a running execution wait on a callback task of step, as
// a Task state with TaskMode WaitForCustomCallback does: it records the
// TaskScheduled and TaskSubmitted events and returns the task token, which
// ReportTaskSucceeded and ReportTaskFailed then complete once.
func (s *Server) WaitForTask(flow, name, step string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.runningLocked(flow, name)
	if err != nil {
		return "", err
	}
	token := newUUID(false)
	if s.std.tokens == nil {
		s.std.tokens = map[string]*execution{}
	}
	s.std.tokens[token] = e
	sched := s.addEventLocked(e, Event{StepName: step, Type: "TaskScheduled", EventDetail: detail(map[string]string{"resourceArn": "acs:fnf:::flow/" + flow})})
	s.addEventLocked(e, Event{ScheduleEventId: sched, StepName: step, Type: "TaskSubmitted", EventDetail: detail(map[string]string{"taskToken": token})})
	return token, nil
}

func (s *Server) runningLocked(flow, name string) (*execution, error) {
	e := s.std.execs[flow][name]
	if e == nil {
		return nil, fmt.Errorf("fnftest: no execution %q of flow %q", name, flow)
	}
	if !e.running() {
		return nil, fmt.Errorf("fnftest: execution %q of flow %q already ended %s", name, flow, e.Status)
	}
	return e, nil
}

// endLocked ends e with its closing event, and drops the tasks it waited on.
func (s *Server) endLocked(e *execution, status, output, errCode, cause string) {
	e.Status = status
	e.StoppedTime = s.stamp()
	var d string
	if status == "Succeeded" {
		e.Output = output
		d = detail(map[string]string{"output": output})
	} else {
		d = detail(map[string]string{"error": errCode, "cause": cause})
	}
	s.addEventLocked(e, Event{Type: "Execution" + status, EventDetail: d})
	for tok, w := range s.std.tokens {
		if w == e {
			delete(s.std.tokens, tok)
		}
	}
	close(e.done)
}

// addEventLocked appends ev and returns its EventId.
func (s *Server) addEventLocked(e *execution, ev Event) int64 {
	if ev.EventId == 0 {
		ev.EventId = int64(len(e.events) + 1)
		if n := len(e.events); n > 0 && e.events[n-1].EventId >= ev.EventId {
			ev.EventId = e.events[n-1].EventId + 1
		}
	}
	if ev.Time == "" {
		ev.Time = s.stamp()
	}
	e.events = append(e.events, ev)
	return ev.EventId
}

func (s *Server) stamp() string { return s.now().UTC().Format(millisLayout) }

// detail is an EventDetail: JSON text.
func detail(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}
