// Package sessiontest is a backend for tests of what runs Standard
// executions (the command line, the TUI): flows and executions that follow
// a script in time, so that a test with testing/synctest sees a follow
// wait, long-poll and end, and counts the calls it made. It talks to
// nothing.
package sessiontest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Script is how an execution started on the fake goes: it runs for Runs,
// then ends with Status (Succeeded when empty), Output and the error.
type Script struct {
	Runs                    time.Duration
	Status                  fnf.Status
	Output                  string
	ErrorCode, ErrorMessage string
	// Events, when set, is its event history once ended; else the fake
	// makes ExecutionStarted, a StepEntered/StepExited pair and the end.
	Events []fnf.Event
}

// Fake is an fnf.Backend with an fnf.Standard side. Set its fields before use.
type Fake struct {
	BackendInfo fnf.Info                      // what Info says; Kind defaults to cloud
	Flows       []fnf.Flow                    // the flows it has
	Script      func(fnf.StartRequest) Script // nil: a run of one second that succeeds
	IgnoreWait  bool                          // answer DescribeExecution at once, as a backend that does not long-poll
	TaskToken   string                        // the one task token ReportTask* accept

	mu      sync.Mutex
	execs   []*execution // oldest first
	calls   map[string]int
	Stops   []fnf.StopRequest
	Reports []fnf.ReportRequest
	Starts  []fnf.StartRequest
}

var (
	_ fnf.Backend  = (*Fake)(nil)
	_ fnf.Standard = (*Fake)(nil)
)

type execution struct {
	detail  fnf.ExecutionDetail // as started
	started time.Time
	script  Script
	stopped *fnf.StopRequest
	stopAt  time.Time
}

// Calls is how many times action was called.
func (f *Fake) Calls(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

func (f *Fake) count(action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[action]++
}

// Seed adds an execution that ended (or still runs, for a Running status)
// with the given events, as if started before.
func (f *Fake) Seed(d fnf.ExecutionDetail, events []fnf.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	started, _ := fnf.ParseTime(d.StartedTime)
	s := Script{Status: d.Status, Output: d.Output, ErrorCode: d.ErrorCode, ErrorMessage: d.ErrorMessage, Events: events}
	if d.Status == fnf.StatusRunning {
		s.Runs, s.Status = 1000*time.Hour, fnf.StatusSucceeded
	}
	f.execs = append(f.execs, &execution{detail: d, started: started, script: s})
}

func (f *Fake) Info() fnf.Info {
	info := f.BackendInfo
	if info.Kind == "" {
		info.Kind = fnf.KindCloud
	}
	return info
}

func (f *Fake) ListFlows(context.Context) ([]fnf.Flow, error) {
	f.count("ListFlows")
	return f.Flows, nil
}

func (f *Fake) DescribeFlow(_ context.Context, name string) (fnf.Flow, error) {
	f.count("DescribeFlow")
	for _, fl := range f.Flows {
		if fl.Name == name {
			return fl, nil
		}
	}
	return fnf.Flow{}, apiErr("DescribeFlow", name, http.StatusNotFound, fnf.CodeFlowNotExists, "flow "+name+" does not exist")
}

// StartSyncExecution answers an Express flow with its input as output.
func (f *Fake) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	f.count("StartSyncExecution")
	fl, err := f.DescribeFlow(ctx, req.FlowName)
	if err != nil {
		return nil, err
	}
	if fl.Mode() != fnf.ModeExpress {
		return nil, apiErr("StartSyncExecution", req.FlowName, http.StatusBadRequest, fnf.CodeActionNotSupported, "Standard execution is not supported")
	}
	now := fnf.FormatTime(time.Now())
	return &fnf.SyncResult{Execution: fnf.Execution{RequestId: "rid-sync", FlowName: req.FlowName, Name: req.ExecutionName + ":sync",
		Status: fnf.StatusSucceeded, Output: req.Input, StartedTime: now, StoppedTime: now}}, nil
}

func (f *Fake) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	f.count("StartExecution")
	fl, err := f.DescribeFlow(ctx, req.FlowName)
	if err != nil {
		return fnf.ExecutionDetail{}, err
	}
	if fl.Mode() != fnf.ModeStandard {
		return fnf.ExecutionDetail{}, apiErr("StartExecution", req.FlowName, http.StatusBadRequest, fnf.CodeActionNotSupported, "Express flows run with StartSyncExecution")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Starts = append(f.Starts, req)
	now := time.Now()
	if x := f.find(req.FlowName, req.ExecutionName); x != nil {
		if d := x.at(now); d.Status.Terminal() {
			return fnf.ExecutionDetail{}, apiErr("StartExecution", req.FlowName, http.StatusConflict, fnf.CodeExecutionAlreadyExists, "execution "+req.ExecutionName+" already exists")
		}
		return x.at(now), nil
	}
	name := req.ExecutionName
	if name == "" {
		name = "exec-" + strconv.Itoa(len(f.execs)+1)
	}
	s := Script{Runs: time.Second}
	if f.Script != nil {
		s = f.Script(req)
	}
	x := &execution{started: now, script: s, detail: fnf.ExecutionDetail{
		RequestId: "rid-start-" + name, FlowName: req.FlowName, Name: name, Status: fnf.StatusRunning,
		Input: req.Input, StartedTime: fnf.FormatTime(now)}}
	f.execs = append(f.execs, x)
	d := x.at(now)
	d.RequestId = "rid-start-" + name
	return d, nil
}

func (f *Fake) find(flow, name string) *execution {
	for _, x := range f.execs {
		if x.detail.FlowName == flow && x.detail.Name == name {
			return x
		}
	}
	return nil
}

// at is the execution as it is at now.
func (x *execution) at(now time.Time) fnf.ExecutionDetail {
	d := x.detail
	d.RequestId = "rid-" + strings.ToLower(string(d.Status))
	switch {
	case x.stopped != nil:
		d.Status, d.ErrorCode, d.ErrorMessage = fnf.StatusStopped, x.stopped.Error, x.stopped.Cause
		d.StoppedTime = fnf.FormatTime(x.stopAt)
	case x.detail.Status.Terminal() || now.Sub(x.started) >= x.script.Runs:
		d.Status = x.script.Status
		if d.Status == "" {
			d.Status = fnf.StatusSucceeded
		}
		d.Output, d.ErrorCode, d.ErrorMessage = x.script.Output, x.script.ErrorCode, x.script.ErrorMessage
		if d.StoppedTime == "" {
			d.StoppedTime = fnf.FormatTime(x.started.Add(x.script.Runs))
		}
	default:
		d.Status = fnf.StatusRunning
	}
	return d
}

// ends is how long until x ends, as seen at now.
func (x *execution) ends(now time.Time) time.Duration {
	return x.started.Add(x.script.Runs).Sub(now)
}

func (f *Fake) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	f.count("DescribeExecution")
	if req.Wait < 0 || req.Wait > fnf.MaxDescribeWait {
		return fnf.ExecutionDetail{}, apiErr("DescribeExecution", req.FlowName, http.StatusBadRequest, fnf.CodeInvalidArgument, "WaitTimeSeconds must be 0–60")
	}
	f.mu.Lock()
	x := f.find(req.FlowName, req.ExecutionName)
	if x == nil {
		f.mu.Unlock()
		return fnf.ExecutionDetail{}, notExists("DescribeExecution", req.FlowName, req.ExecutionName)
	}
	d, left := x.at(time.Now()), x.ends(time.Now())
	f.mu.Unlock()
	if d.Status.Terminal() || req.Wait == 0 || f.IgnoreWait {
		return d, nil
	}
	t := time.NewTimer(min(left, req.Wait))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return fnf.ExecutionDetail{}, fmt.Errorf("DescribeExecution: %w", ctx.Err())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return x.at(time.Now()), nil
}

func (f *Fake) ListExecutions(_ context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	f.count("ListExecutions")
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	var all []fnf.ExecutionDetail
	for i := len(f.execs) - 1; i >= 0; i-- {
		d := f.execs[i].at(now)
		started, _ := fnf.ParseTime(d.StartedTime)
		switch {
		case d.FlowName != req.FlowName, req.Status != "" && d.Status != req.Status,
			!strings.HasPrefix(d.Name, req.NamePrefix), !req.StartedBegin.IsZero() && started.Before(req.StartedBegin):
			continue
		}
		d.RequestId = "" // the page has one, not its items
		all = append(all, d)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = fnf.DefaultListLimit
	}
	from, _ := strconv.Atoi(req.NextToken)
	page := fnf.ExecutionPage{RequestId: "rid-list"}
	if from < len(all) {
		page.Executions = all[from:min(from+limit, len(all))]
	}
	if from+limit < len(all) {
		page.NextToken = strconv.Itoa(from + limit)
	}
	return page, nil
}

func (f *Fake) GetExecutionHistory(_ context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	f.count("GetExecutionHistory")
	f.mu.Lock()
	defer f.mu.Unlock()
	x := f.find(req.FlowName, req.ExecutionName)
	if x == nil {
		return fnf.EventPage{}, notExists("GetExecutionHistory", req.FlowName, req.ExecutionName)
	}
	events := x.events(time.Now())
	limit := req.Limit
	if limit <= 0 {
		limit = fnf.DefaultListLimit
	}
	from, _ := strconv.Atoi(req.NextToken)
	page := fnf.EventPage{RequestId: "rid-events"}
	if from < len(events) {
		page.Events = events[from:min(from+limit, len(events))]
	}
	if from+limit < len(events) {
		page.NextToken = strconv.Itoa(from + limit)
	}
	return page, nil
}

// events is x's history as it is at now.
func (x *execution) events(now time.Time) []fnf.Event {
	d := x.at(now)
	if x.script.Events != nil && d.Status.Terminal() && x.stopped == nil {
		return x.script.Events
	}
	ev := []fnf.Event{{EventId: 1, Type: fnf.EventExecutionStarted, Time: d.StartedTime, EventDetail: `{"input":` + strconv.Quote(d.Input) + `}`},
		{EventId: 2, StepName: "Work", Type: fnf.EventStepEntered, Time: d.StartedTime, EventDetail: `{}`}}
	switch d.Status {
	case fnf.StatusStopped:
		ev = append(ev, fnf.Event{EventId: 3, Type: fnf.EventExecutionStopped, Time: d.StoppedTime,
			EventDetail: fmt.Sprintf(`{"error":%q,"cause":%q}`, d.ErrorCode, d.ErrorMessage)})
	case fnf.StatusSucceeded:
		ev = append(ev, fnf.Event{EventId: 3, ScheduleEventId: 2, StepName: "Work", Type: fnf.EventStepExited, Time: d.StoppedTime, EventDetail: `{}`},
			fnf.Event{EventId: 4, Type: fnf.EventExecutionSucceeded, Time: d.StoppedTime, EventDetail: `{"output":` + strconv.Quote(d.Output) + `}`})
	case fnf.StatusFailed, fnf.StatusTimedOut:
		ev = append(ev, fnf.Event{EventId: 3, Type: "Execution" + string(d.Status), Time: d.StoppedTime,
			EventDetail: fmt.Sprintf(`{"error":%q,"cause":%q}`, d.ErrorCode, d.ErrorMessage)})
	}
	return ev
}

func (f *Fake) StopExecution(_ context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	f.count("StopExecution")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Stops = append(f.Stops, req)
	x := f.find(req.FlowName, req.ExecutionName)
	if x == nil {
		return fnf.ExecutionDetail{}, notExists("StopExecution", req.FlowName, req.ExecutionName)
	}
	now := time.Now()
	if !x.at(now).Status.Terminal() {
		x.stopped, x.stopAt = &req, now
	}
	return x.at(now), nil
}

func (f *Fake) ReportTaskSucceeded(_ context.Context, req fnf.ReportRequest) error {
	return f.report("ReportTaskSucceeded", req)
}

func (f *Fake) ReportTaskFailed(_ context.Context, req fnf.ReportRequest) error {
	return f.report("ReportTaskFailed", req)
}

func (f *Fake) report(action string, req fnf.ReportRequest) error {
	f.count(action)
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.TaskToken == "" || req.TaskToken != f.TaskToken {
		return apiErr(action, "", http.StatusBadRequest, fnf.CodeTaskTokenNotExists, "task token does not exist")
	}
	f.Reports = append(f.Reports, req)
	f.TaskToken = "" // answered once
	return nil
}

func (f *Fake) DescribeRegions(context.Context, string) ([]fnf.Region, error) {
	f.count("DescribeRegions")
	return []fnf.Region{{RegionId: "cn-hangzhou", RegionEndpoint: "cn-hangzhou.fnf.aliyuncs.com"}}, nil
}

func notExists(action, flow, name string) error {
	return apiErr(action, flow, http.StatusNotFound, fnf.CodeExecutionNotExists, fmt.Sprintf("execution %s does not exist", name))
}

func apiErr(action, flow string, status int, code, msg string) error {
	return &fnf.APIError{HTTPStatus: status, Code: code, Message: msg, RequestID: "rid-err", Action: action, FlowName: flow}
}
