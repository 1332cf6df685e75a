package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// standardFlow is a Standard flow file whose one state is given.
func standardFlow(name, state string) string {
	return "Name: " + name + "\nExecutionMode: Standard\nDefinition: |\n" +
		"  Type: StateMachine\n  Name: " + name + "\n  SpecVersion: v1\n  StartAt: S\n  States:\n" + state
}

// The actions end to end, over the engine's executions: what a client of
// the service relies on. Codes are checked, and the shapes; the wording is
// the engine's.
func TestStandardExecutionsEndToEnd(t *testing.T) {
	ts := start(t, Config{Local: engineOpts(flowDir(t, map[string]string{
		"std-pass.yaml": standardFlow("std-pass", "    - Type: Pass\n      Name: S\n      End: true\n"),
		"std-wait.yaml": standardFlow("std-wait", "    - Type: Wait\n      Name: S\n      Seconds: 300\n      End: true\n"),
	}))})
	do := func(action string, params ...string) answer {
		return ts.do(t, call{action: action, params: params})
	}
	first := do("StartExecution", "FlowName", "std-pass", "ExecutionName", "e1", "Input", `{"n":1}`)
	wantOK(t, first)
	if first.str("Name") != "e1" || first.str("FlowName") != "std-pass" || first.str("StartedTime") == "" {
		t.Fatalf("StartExecution: %s", first.raw)
	}

	// Followed with a long poll to its end.
	d := ts.do(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std-pass", "ExecutionName", "e1", "WaitTimeSeconds", "10"}})
	wantOK(t, d)
	if d.str("Status") != string(fnf.StatusSucceeded) || d.str("StoppedTime") == "" {
		t.Fatalf("after the long poll: %s", d.raw)
	}
	// A finished name is taken; Express flows are not Standard's; unknown names are named.
	wantError(t, do("StartExecution", "FlowName", "std-pass", "ExecutionName", "e1"), http.StatusBadRequest, fnf.CodeExecutionAlreadyExists)
	wantError(t, do("StartExecution", "FlowName", "order-routing"), http.StatusBadRequest, fnf.CodeActionNotSupported)
	wantError(t, do("StartSyncExecution", "FlowName", "std-pass"), http.StatusBadRequest, fnf.CodeActionNotSupported)
	if a := do("DescribeExecution", "FlowName", "std-pass", "ExecutionName", "nope"); a.str("Code") != fnf.CodeExecutionNotExists || !strings.Contains(a.str("Message"), "nope") {
		t.Fatalf("an unknown execution: %s", a.raw)
	}

	// Listed, and its events from start to end.
	var list struct{ Executions []fnf.ExecutionDetail }
	decode(t, do("ListExecutions", "FlowName", "std-pass"), &list)
	if len(list.Executions) != 1 || list.Executions[0].Name != "e1" {
		t.Fatalf("ListExecutions: %+v", list)
	}
	var history struct{ Events []fnf.Event }
	decode(t, do("GetExecutionHistory", "FlowName", "std-pass", "ExecutionName", "e1"), &history)
	if n := len(history.Events); n < 2 || history.Events[0].Type != fnf.EventExecutionStarted || history.Events[n-1].Type != fnf.EventExecutionSucceeded {
		t.Fatalf("GetExecutionHistory: %+v", history.Events)
	}

	// A waiting execution, stopped with an error and a cause.
	wantOK(t, do("StartExecution", "FlowName", "std-wait", "ExecutionName", "w1"))
	running := do("ListExecutions", "FlowName", "std-wait", "Status", "Running")
	if !strings.Contains(string(running.raw), `"w1"`) {
		t.Fatalf("running executions: %s", running.raw)
	}
	stopped := do("StopExecution", "FlowName", "std-wait", "ExecutionName", "w1", "Error", "Manual", "Cause", "by hand")
	wantOK(t, stopped)
	d = do("DescribeExecution", "FlowName", "std-wait", "ExecutionName", "w1", "WaitTimeSeconds", "5")
	if d.str("Status") != string(fnf.StatusStopped) {
		t.Fatalf("after StopExecution: %s", d.raw)
	}

	if a := do("ReportTaskSucceeded", "TaskToken", "no-such-token", "Output", "{}"); a.str("Code") != fnf.CodeTaskTokenNotExists || a.status < 400 {
		t.Fatalf("an unknown task token: %s", a.raw)
	}
	var regions regionsResponse
	decode(t, do("DescribeRegions"), &regions)
	if len(regions.Regions.Region) == 0 || regions.Regions.Region[0].RegionId == "" {
		t.Fatalf("DescribeRegions: %+v", regions)
	}
}

// A server that stops ends its long polls and stops its waiting executions,
// without waiting for either.
func TestStoppingEndsWaitingExecutions(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, _, served := serve(t, Config{ShutdownGrace: time.Minute, Local: engineOpts(flowDir(t, map[string]string{
		"std-wait.yaml": standardFlow("std-wait", "    - Type: Wait\n      Name: S\n      Seconds: 300\n      End: true\n"),
	}))}, ctx)
	wantOK(t, ts.do(t, call{action: "StartExecution", params: []string{"FlowName", "std-wait", "ExecutionName", "w1"}}))
	poll := ts.request(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std-wait", "ExecutionName", "w1", "WaitTimeSeconds", "60"}})
	results := make(chan result, 1)
	go func() {
		a, err := ts.try(poll)
		results <- result{a, err}
	}()
	// The poll in flight, then a moment for it to begin waiting (were it
	// not yet, it would be answered 503 and the test would say so).
	for ts.Server.inflight.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	stop()
	r := waitFor(t, results, "the long poll's answer")
	// The executions are stopped before the polls are answered: a client
	// following one learns its end and why, rather than a Running it could
	// never update once the server is gone.
	if r.err != nil || r.a.status != http.StatusOK || r.a.str("Status") != string(fnf.StatusStopped) ||
		!strings.Contains(r.a.str("ErrorMessage"), "flowtui serve stopped") {
		t.Fatalf("the long poll at the stop: %v %s", r.err, r.a.raw)
	}
	if err := waitFor(t, served, "Serve to return"); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	d, err := ts.Server.execs.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "std-wait", ExecutionName: "w1"})
	if err != nil || d.Status != fnf.StatusStopped {
		t.Fatalf("after the stop the waiting execution is %+v, %v; want Stopped", d, err)
	}
}
