package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// stdCall is one call of a Standard action as an official SDK sends it, and
// the request the executions must receive for it.
type stdCall struct {
	action string
	method string   // GET: everything in the query string
	params []string // name, value…
	query  []string // in the query string whatever the method
	header map[string]string
	want   any
}

func rfc3339(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sdkCalls are the Standard actions with every parameter, placed as the fnf
// SDKs place them: reads as GET with a query string, writes as a form body,
// ReportTask*'s TaskToken in the query string.
func sdkCalls(t *testing.T) []stdCall {
	begin, end := "2026-01-01T00:00:00Z", "2026-01-02T00:00:00+08:00"
	return []stdCall{
		{action: "StartExecution", method: http.MethodPost,
			params: []string{"FlowName", "std", "ExecutionName", "e1", "Input", `{"a":"b c&d=é"}`, "Qualifier", "2", "CallbackFnFTaskToken", "parent-token"},
			header: map[string]string{fnf.TestCaseHeader: "HappyPath"},
			want: fnf.StartRequest{FlowName: "std", ExecutionName: "e1", Input: `{"a":"b c&d=é"}`, Qualifier: "2",
				CallbackFnFTaskToken: "parent-token", TestCase: "HappyPath"}},
		{action: "DescribeExecution", method: http.MethodGet,
			params: []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "0"},
			want:   fnf.DescribeRequest{FlowName: "std", ExecutionName: "e1"}},
		{action: "ListExecutions", method: http.MethodGet,
			params: []string{"FlowName", "std", "Limit", "5", "NextToken", "opaque+/=", "ExecutionNamePrefix", "e", "Status", "Running",
				"StartedTimeBegin", begin, "StartedTimeEnd", end, "Qualifier", "live", "MetadataOnly", "true"},
			want: fnf.ListExecutionsRequest{FlowName: "std", Limit: 5, NextToken: "opaque+/=", NamePrefix: "e", Status: fnf.StatusRunning,
				StartedBegin: rfc3339(t, begin), StartedEnd: rfc3339(t, end), Qualifier: "live", MetadataOnly: true}},
		{action: "GetExecutionHistory", method: http.MethodGet,
			params: []string{"FlowName", "std", "ExecutionName", "e1", "Limit", "999", "NextToken", "61"},
			want:   fnf.HistoryRequest{FlowName: "std", ExecutionName: "e1", Limit: 999, NextToken: "61"}},
		{action: "StopExecution", method: http.MethodPost,
			params: []string{"FlowName", "std", "ExecutionName", "e1", "Error", "Manual.Stop", "Cause", "stopped by hand"},
			want:   fnf.StopRequest{FlowName: "std", ExecutionName: "e1", Error: "Manual.Stop", Cause: "stopped by hand"}},
		{action: "ReportTaskSucceeded", method: http.MethodPost,
			query: []string{"TaskToken", "tok/1+2"}, params: []string{"Output", `{"ok":true}`},
			want: fnf.ReportRequest{TaskToken: "tok/1+2", Output: `{"ok":true}`}},
		{action: "ReportTaskFailed", method: http.MethodPost,
			query: []string{"TaskToken", "tok/1+2"}, params: []string{"Error", "Card.Declined", "Cause", "insufficient funds"},
			want: reportFailed{TaskToken: "tok/1+2", Error: "Card.Declined", Cause: "insufficient funds"}},
		{action: "DescribeRegions", method: http.MethodPost,
			params: []string{"AcceptLanguage", "en-us"},
			want:   regionsCall{"en-US"}},
	}
}

// Every Standard action reads its parameters wherever a client puts them:
// as the SDKs do, all in a form body, or all in the query string; signed V2
// or V3.
func TestStandardActionsReadTheirParametersFromTheQueryAndTheForm(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	for _, c := range sdkCalls(t) {
		for _, sig := range []string{"v2", "v3"} {
			for _, place := range []string{"as the SDKs", "all in the form", "all in the query"} {
				t.Run(c.action+" "+sig+" "+place, func(t *testing.T) {
					cl := call{action: c.action, sig: sig, method: c.method, inQuery: c.method == http.MethodGet,
						params: c.params, query: c.query, header: c.header}
					switch place {
					case "all in the form":
						cl.method, cl.inQuery, cl.query = http.MethodPost, false, nil
						cl.params = append(append([]string(nil), c.query...), c.params...)
					case "all in the query":
						cl.method, cl.inQuery, cl.query = http.MethodPost, true, nil
						cl.params = append(append([]string(nil), c.query...), c.params...)
					}
					wantOK(t, ts.do(t, cl))
					if got := f.last(t); !reflect.DeepEqual(got, c.want) {
						t.Fatalf("the executions got\n%#v\nwant\n%#v", got, c.want)
					}
				})
			}
		}
	}
}

func TestStandardParametersAreCheckedBeforeTheExecutionsSeeThem(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	long := func(n int) string { return strings.Repeat("é", n) }
	for _, tt := range []struct {
		name, action string
		params       []string
		code         string
		inMessage    []string
	}{
		{"StartExecution without a flow", "StartExecution", []string{"Input", "{}"}, fnf.CodeMissingRequiredParams, []string{"FlowName"}},
		{"StartExecution with a bad flow name", "StartExecution", []string{"FlowName", "1std"}, fnf.CodeInvalidArgument, []string{"FlowName", `"1std"`}},
		{"DescribeExecution without names", "DescribeExecution", nil, fnf.CodeMissingRequiredParams, []string{"FlowName, ExecutionName are mandatory"}},
		{"DescribeExecution without an execution", "DescribeExecution", []string{"FlowName", "std"}, fnf.CodeMissingRequiredParams, []string{"ExecutionName is mandatory"}},
		{"a bad execution name", "DescribeExecution", []string{"FlowName", "std", "ExecutionName", "e 1"}, fnf.CodeInvalidArgument, []string{"ExecutionName", `"e 1"`}},
		{"WaitTimeSeconds past 60", "DescribeExecution", []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "61"}, fnf.CodeInvalidArgument, []string{"WaitTimeSeconds", `"61"`, "0 to 60"}},
		{"WaitTimeSeconds negative", "DescribeExecution", []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "-1"}, fnf.CodeInvalidArgument, []string{"WaitTimeSeconds", "0 to 60"}},
		{"WaitTimeSeconds not whole", "DescribeExecution", []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "1.5"}, fnf.CodeInvalidArgument, []string{"WaitTimeSeconds", "whole number"}},
		{"ListExecutions without a flow", "ListExecutions", nil, fnf.CodeMissingRequiredParams, []string{"FlowName"}},
		{"ListExecutions Limit 0", "ListExecutions", []string{"FlowName", "std", "Limit", "0"}, fnf.CodeInvalidArgument, []string{"Limit", "1 to 99"}},
		{"ListExecutions Limit 100", "ListExecutions", []string{"FlowName", "std", "Limit", "100"}, fnf.CodeInvalidArgument, []string{"Limit", "1 to 99"}},
		{"a Status not the API's", "ListExecutions", []string{"FlowName", "std", "Status", "running"}, fnf.CodeInvalidArgument, []string{"Status", `"running"`, "Starting, Running, Stopped, Succeeded, Failed, TimedOut"}},
		{"flowtui's own Status", "ListExecutions", []string{"FlowName", "std", "Status", "Cancelled"}, fnf.CodeInvalidArgument, []string{"Status", "Running"}},
		{"StartedTimeBegin not RFC 3339", "ListExecutions", []string{"FlowName", "std", "StartedTimeBegin", "2026-01-02 03:04:05"}, fnf.CodeInvalidArgument, []string{"StartedTimeBegin", "RFC 3339"}},
		{"StartedTimeEnd not RFC 3339", "ListExecutions", []string{"FlowName", "std", "StartedTimeEnd", "yesterday"}, fnf.CodeInvalidArgument, []string{"StartedTimeEnd", "RFC 3339"}},
		{"a begin after the end", "ListExecutions", []string{"FlowName", "std", "StartedTimeBegin", "2026-01-02T00:00:00Z", "StartedTimeEnd", "2026-01-01T00:00:00Z"}, fnf.CodeInvalidArgument, []string{"StartedTimeBegin", "after StartedTimeEnd"}},
		{"MetadataOnly not a boolean", "ListExecutions", []string{"FlowName", "std", "MetadataOnly", "yes"}, fnf.CodeInvalidArgument, []string{"MetadataOnly", "true or false"}},
		{"MapRunName", "ListExecutions", []string{"FlowName", "std", "MapRunName", "m1"}, fnf.CodeInvalidArgument, []string{"MapRunName"}},
		{"GetExecutionHistory without names", "GetExecutionHistory", nil, fnf.CodeMissingRequiredParams, []string{"FlowName, ExecutionName"}},
		{"GetExecutionHistory Limit 1000", "GetExecutionHistory", []string{"FlowName", "std", "ExecutionName", "e1", "Limit", "1000"}, fnf.CodeInvalidArgument, []string{"Limit", "1 to 999"}},
		{"StopExecution without names", "StopExecution", []string{"Error", "E"}, fnf.CodeMissingRequiredParams, []string{"FlowName, ExecutionName"}},
		{"a stop Error of 129 characters", "StopExecution", []string{"FlowName", "std", "ExecutionName", "e1", "Error", long(129)}, fnf.CodeInvalidArgument, []string{"Error is 129 characters long", "at most 128"}},
		{"a stop Cause of 4097 characters", "StopExecution", []string{"FlowName", "std", "ExecutionName", "e1", "Cause", long(4097)}, fnf.CodeInvalidArgument, []string{"Cause is 4097 characters long", "at most 4096"}},
		{"ReportTaskSucceeded without anything", "ReportTaskSucceeded", nil, fnf.CodeMissingRequiredParams, []string{"TaskToken, Output are mandatory"}},
		{"ReportTaskSucceeded without Output", "ReportTaskSucceeded", []string{"TaskToken", "t"}, fnf.CodeMissingRequiredParams, []string{"Output is mandatory"}},
		{"ReportTaskFailed without Error", "ReportTaskFailed", []string{"TaskToken", "t", "Cause", "c"}, fnf.CodeMissingRequiredParams, []string{"Error is mandatory"}},
		{"an unknown AcceptLanguage", "DescribeRegions", []string{"AcceptLanguage", "fr-FR"}, fnf.CodeInvalidArgument, []string{"AcceptLanguage", `"fr-FR"`, "zh-CN or en-US"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.got())
			wantError(t, ts.do(t, call{action: tt.action, params: tt.params}), http.StatusBadRequest, tt.code, tt.inMessage...)
			if n := len(f.got()); n != before {
				t.Fatalf("a refused request reached the executions: %#v", f.last(t))
			}
		})
	}
	// At the bounds, accepted.
	wantOK(t, ts.do(t, call{action: "StopExecution", params: []string{"FlowName", "std", "ExecutionName", "e1", "Error", long(128), "Cause", long(4096)}}))
	wantOK(t, ts.do(t, call{action: "ListExecutions", method: http.MethodGet, inQuery: true, params: []string{"FlowName", "std", "Limit", "99", "MetadataOnly", "FALSE"}}))
}

func TestStandardAnswersUseTheAPIsFieldNames(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	do := func(action string, params ...string) answer {
		a := ts.do(t, call{action: action, params: params})
		wantOK(t, a)
		return a
	}
	// StartExecution, DescribeExecution and StopExecution: the execution's
	// fields at the top level, beside RequestId.
	for _, action := range []string{"StartExecution", "DescribeExecution", "StopExecution"} {
		a := do(action, "FlowName", "std", "ExecutionName", "e1")
		for _, field := range []string{"RequestId", "FlowName", "Name", "Status", "Input", "FlowDefinition", "StartedTime"} {
			if a.str(field) == "" {
				t.Errorf("%s: no %s in %s", action, field, a.raw)
			}
		}
		if a.str("Name") != "e1" || a.str("Input") != `{"a":1}` {
			t.Errorf("%s: %s", action, a.raw)
		}
	}
	if a := do("StopExecution", "FlowName", "std", "ExecutionName", "e1"); a.str("Status") != "Stopped" {
		t.Errorf("StopExecution answers the execution it stopped: %s", a.raw)
	}

	// ListExecutions: Executions and, but on the last page, NextToken.
	f.page = fnf.ExecutionPage{Executions: []fnf.ExecutionDetail{{FlowName: "std", Name: "e2", Status: fnf.StatusSucceeded}, {FlowName: "std", Name: "e1", Status: fnf.StatusRunning}}, NextToken: "next-page"}
	var list struct {
		RequestId  string
		Executions []map[string]any
		NextToken  *string
	}
	decode(t, do("ListExecutions", "FlowName", "std"), &list)
	if list.RequestId == "" || len(list.Executions) != 2 || list.Executions[0]["Name"] != "e2" || list.NextToken == nil || *list.NextToken != "next-page" {
		t.Errorf("a page of ListExecutions: %+v", list)
	}
	f.page = fnf.ExecutionPage{}
	last := do("ListExecutions", "FlowName", "std")
	if !strings.Contains(string(last.raw), `"Executions":[]`) || strings.Contains(string(last.raw), "NextToken") {
		t.Errorf("an empty last page: %s, want Executions [] and no NextToken", last.raw)
	}

	// GetExecutionHistory: Events with their numbers as numbers.
	f.events = fnf.EventPage{Events: []fnf.Event{{EventId: 1, Type: fnf.EventExecutionStarted, Time: "2026-01-02T03:04:05.006Z", EventDetail: `{"input":"{}"}`},
		{EventId: 2, ScheduleEventId: 1, StepName: "A", Type: fnf.EventStepEntered, Time: "2026-01-02T03:04:05.007Z", EventDetail: "{}"}}, NextToken: "3"}
	var history struct {
		RequestId string
		Events    []map[string]any
		NextToken string
	}
	decode(t, do("GetExecutionHistory", "FlowName", "std", "ExecutionName", "e1"), &history)
	if len(history.Events) != 2 || history.NextToken != "3" || history.Events[1]["EventId"] != 2.0 || history.Events[1]["ScheduleEventId"] != 1.0 ||
		history.Events[1]["StepName"] != "A" || history.Events[1]["Type"] != "StepEntered" || history.Events[0]["EventDetail"] != `{"input":"{}"}` {
		t.Errorf("GetExecutionHistory: %+v", history)
	}
	f.events = fnf.EventPage{}
	if a := do("GetExecutionHistory", "FlowName", "std", "ExecutionName", "e1"); !strings.Contains(string(a.raw), `"Events":[]`) {
		t.Errorf("no events: %s", a.raw)
	}

	// ReportTask*: the RequestId alone.
	for _, a := range []answer{do("ReportTaskSucceeded", "TaskToken", "t", "Output", "{}"), do("ReportTaskFailed", "TaskToken", "t", "Error", "E")} {
		if len(a.body) != 1 || a.str("RequestId") == "" {
			t.Errorf("ReportTask*: %s, want the RequestId alone", a.raw)
		}
	}

	// DescribeRegions: Regions.Region[], as the fnf SDK's model has it.
	f.regions = []fnf.Region{{RegionId: "local", RegionEndpoint: "127.0.0.1:9791", LocalName: "flowtui serve"}}
	var regions struct {
		RequestId string
		Regions   struct{ Region []fnf.Region }
	}
	decode(t, do("DescribeRegions"), &regions)
	if regions.RequestId == "" || !reflect.DeepEqual(regions.Regions.Region, f.regions) {
		t.Errorf("DescribeRegions: %+v", regions)
	}
	if got := f.last(t); got != (regionsCall{""}) {
		t.Errorf("without AcceptLanguage the executions got %#v, want the language left to them", got)
	}
}

func decode(t *testing.T, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal(a.raw, v); err != nil {
		t.Fatalf("%v: %s", err, a.raw)
	}
}

// The executions word their refusals; the server passes status, code and
// message through, and answers anything else 500.
func TestStandardRefusalsPassThrough(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	refuse := func(status int, code, msg string) {
		f.err = &fnf.APIError{HTTPStatus: status, Code: code, Message: msg}
	}
	e1 := []string{"FlowName", "std", "ExecutionName", "e1"}
	for _, tt := range []struct {
		action string
		params []string
		status int
		code   string
		msg    string
	}{
		{"DescribeExecution", e1, 404, fnf.CodeExecutionNotExists, `execution "e1" of flow "std" does not exist`},
		{"GetExecutionHistory", e1, 404, fnf.CodeExecutionNotExists, `execution "e1" does not exist`},
		{"StopExecution", e1, 400, fnf.CodeInvalidArgument, `execution "e1" is not running: it ended Succeeded`},
		{"StartExecution", []string{"FlowName", "std", "ExecutionName", "done"}, 400, fnf.CodeExecutionAlreadyExists, `execution "done" already exists`},
		{"StartExecution", []string{"FlowName", "order-routing"}, 400, fnf.CodeActionNotSupported, "Express execution is not supported"},
		{"StartExecution", []string{"FlowName", "nope"}, 404, fnf.CodeFlowNotExists, `flow "nope" does not exist`},
		{"ListExecutions", []string{"FlowName", "std", "NextToken", "junk"}, 400, fnf.CodeInvalidArgument, "NextToken"},
		{"ReportTaskSucceeded", []string{"TaskToken", "gone", "Output", "{}"}, 400, fnf.CodeTaskTokenNotExists, "no task waits on this token"},
		{"ReportTaskFailed", []string{"TaskToken", "gone", "Error", "E"}, 400, fnf.CodeTaskTokenNotExists, "no task waits on this token"},
		{"DescribeRegions", nil, 429, fnf.CodeResourceThrottled, "slow down"},
	} {
		t.Run(tt.action+" "+tt.code, func(t *testing.T) {
			refuse(tt.status, tt.code, tt.msg)
			a := ts.do(t, call{action: tt.action, params: tt.params})
			wantError(t, a, tt.status, tt.code, tt.msg)
		})
	}
	// A refusal without an error status is still answered as an error.
	refuse(0, "Engine.Broken", "lost its status")
	wantError(t, ts.do(t, call{action: "DescribeExecution", params: e1}), http.StatusInternalServerError, "Engine.Broken", "lost its status")
	f.err = errors.New("the store is broken")
	wantError(t, ts.do(t, call{action: "DescribeExecution", params: e1}), http.StatusInternalServerError, fnf.CodeInternalServerError,
		"DescribeExecution", "the store is broken")
}

// A long poll is not a run: it holds no slot of --max-concurrent, and a
// full server still answers it.
func TestALongPollDoesNotHoldASlotOfTheCap(t *testing.T) {
	b := newBlocker()
	cfg := slowOpts(t, b)
	cfg.MaxConcurrent = 1
	ts := start(t, cfg)
	f := ts.useFake(newFake())

	// The one slot taken by a sync run, a long poll is still answered when
	// its time is up.
	slow := ts.runAsync(t, "slow")
	waitFor(t, b.entered, "the sync run to reach its Task")
	a := ts.do(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "1"}})
	wantOK(t, a)
	if a.str("Status") != "Succeeded" {
		t.Fatalf("the long poll: %s", a.raw)
	}
	waitFor(t, f.polling, "the first poll")
	waitFor(t, f.polled, "the first poll's end")
	close(b.release)
	if r := waitFor(t, slow, "the sync run"); r.err != nil || r.a.status != http.StatusOK {
		t.Fatalf("sync run: %v %s", r.err, r.a.raw)
	}

	// A long poll waiting, the slot is free for a sync run.
	ctx, leave := context.WithCancel(context.Background())
	defer leave()
	poll := ts.request(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "60"}}).WithContext(ctx)
	go ts.try(poll)
	waitFor(t, f.polling, "the second poll")
	if n := ts.Running(); n != 0 {
		t.Fatalf("%d executions running while a long poll waits, want 0", n)
	}
	run := ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", `{"total":20,"country":"SG"}`}})
	wantOK(t, run)
	leave()
	waitFor(t, f.polled, "the second poll to end with its client")
}

func TestALongPollEndsWhenItsClientLeaves(t *testing.T) {
	lines := lineChan(make(chan string, 16))
	ts := start(t, Config{Log: lines})
	f := ts.useFake(newFake())
	ctx, leave := context.WithCancel(context.Background())
	req := ts.request(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "60"}}).WithContext(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := ts.try(req)
		done <- err
	}()
	waitFor(t, f.polling, "the long poll to begin")
	leave()
	if err := waitFor(t, f.polled, "the wait to end"); !errors.Is(err, context.Canceled) {
		t.Fatalf("the wait ended with %v, want its context cancelled", err)
	}
	if err := waitFor(t, done, "the client to give up"); err == nil {
		t.Fatal("the client that left got an answer")
	}
	if line := waitFor(t, lines, "the log line"); !strings.Contains(line, "DescribeExecution flow=std status=499 code=ClientGone") {
		t.Fatalf("log: %s", line)
	}
	if len(f.got()) != 1 {
		t.Fatalf("after its client left the execution was described again: %#v", f.got())
	}
}

// Stopping the server ends a long poll at once, answered with the
// execution as it is; the drain does not wait for it, and the executions
// still running are stopped with a cause that says why.
func TestStoppingAnswersLongPollsAtOnceAndStopsTheExecutions(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts := start(t, Config{ShutdownGrace: time.Minute})
	f := ts.useFake(newFake())
	_, served := ts.serve(t, ctx)
	req := ts.request(t, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
		params: []string{"FlowName", "std", "ExecutionName", "e1", "WaitTimeSeconds", "60"}})
	results := make(chan result, 1)
	go func() {
		a, err := ts.try(req)
		results <- result{a, err}
	}()
	waitFor(t, f.polling, "the long poll to begin")
	began := time.Now()
	stop()
	r := waitFor(t, results, "the long poll's answer")
	if r.err != nil {
		t.Fatalf("the long poll got no answer: %v", r.err)
	}
	wantOK(t, r.a)
	if r.a.str("Status") != "Running" || r.a.str("Name") != "e1" {
		t.Fatalf("the long poll at the stop: %s, want the execution as it is (Running)", r.a.raw)
	}
	if err := waitFor(t, served, "Serve to return"); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Fatalf("the stop took %s with a long poll in flight", d)
	}
	causes := f.closedWith()
	if len(causes) == 0 || !strings.Contains(causes[0], "flowtui serve stopped") {
		t.Fatalf("the executions were closed with %q, want a cause saying the server stopped", causes)
	}
}
