package fnftest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

func standardFake(t *testing.T, opts ...Option) *Server {
	t.Helper()
	opts = append([]Option{WithClock(fixedClock)}, opts...)
	opts = append(opts, WithFlows(Flow{Name: "order", ExecutionMode: "Standard"}, Flow{Name: "quick"}))
	return New(t, opts...)
}

func post(action string, params url.Values) spec {
	return spec{method: http.MethodPost, action: action, params: params}
}

func get(action string, params url.Values) spec {
	return spec{action: action, params: params}
}

func startIt(t *testing.T, s *Server, name string) {
	t.Helper()
	if status, m := do(t, s, post("StartExecution", url.Values{"FlowName": {"order"}, "ExecutionName": {name}})); status != 200 {
		t.Fatalf("start %s: %d %s", name, status, m["Code"])
	}
}

// StartExecution runs Standard flows only, and keeps one execution per
// name (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution).
func TestStartExecutionModesAndNames(t *testing.T) {
	t.Parallel()
	s := standardFake(t)
	status, m := do(t, s, post("StartExecution", url.Values{"FlowName": {"quick"}}))
	if status != 400 || str(t, m, "Code") != "ActionNotSupported" {
		t.Fatalf("Express flow: %d %s", status, m["Code"])
	}
	status, m = do(t, s, post("StartSyncExecution", url.Values{"FlowName": {"order"}}))
	if status != 400 || str(t, m, "Code") != "ActionNotSupported" {
		t.Fatalf("sync run of a Standard flow: %d %s", status, m["Code"])
	}
	startIt(t, s, "o_1")
	startIt(t, s, "o_1")
	if n := len(s.Executions("order")); n != 1 {
		t.Fatalf("%d executions after starting a running name twice", n)
	}
	if err := s.Finish("order", "o_1", "Failed", "", "E", "c"); err != nil {
		t.Fatal(err)
	}
	status, m = do(t, s, post("StartExecution", url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}}))
	if status != 400 || str(t, m, "Code") != "ExecutionAlreadyExists" {
		t.Fatalf("finished name: %d %s", status, m["Code"])
	}
	_, m = do(t, s, post("StartExecution", url.Values{"FlowName": {"order"}}))
	if n := str(t, m, "Name"); n == "" || str(t, m, "Status") != "Running" || str(t, m, "StartedTime") != "2024-01-02T03:04:05.000Z" {
		t.Fatalf("generated execution %s", m)
	}
	if err := s.Finish("order", "o_1", "Succeeded", "", "", ""); err == nil {
		t.Fatal("finished an execution twice")
	}
}

// The documented ranges: WaitTimeSeconds 0–60, ListExecutions Limit 1–99,
// GetExecutionHistory Limit 1–999; tokens are checked.
func TestStandardParametersAreChecked(t *testing.T) {
	t.Parallel()
	s := standardFake(t)
	startIt(t, s, "o_1")
	exec := url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}}
	with := func(k, v string) url.Values {
		p := cloneValues(exec)
		p.Set(k, v)
		return p
	}
	for name, sp := range map[string]spec{
		"wait 61":            get("DescribeExecution", with("WaitTimeSeconds", "61")),
		"list limit 0":       get("ListExecutions", url.Values{"FlowName": {"order"}, "Limit": {"0"}}),
		"list limit 100":     get("ListExecutions", url.Values{"FlowName": {"order"}, "Limit": {"100"}}),
		"list token":         get("ListExecutions", url.Values{"FlowName": {"order"}, "NextToken": {"o_1"}}),
		"list status":        get("ListExecutions", url.Values{"FlowName": {"order"}, "Status": {"Done"}}),
		"list time":          get("ListExecutions", url.Values{"FlowName": {"order"}, "StartedTimeBegin": {"yesterday"}}),
		"history limit 1000": get("GetExecutionHistory", with("Limit", "1000")),
		"history token":      get("GetExecutionHistory", with("NextToken", "x")),
		"stop error 129":     post("StopExecution", with("Error", string(make([]byte, 129)))),
		"regions language":   post("DescribeRegions", url.Values{"AcceptLanguage": {"fr"}}),
	} {
		if status, m := do(t, s, sp); status != 400 || str(t, m, "Code") != "InvalidArgument" {
			t.Errorf("%s: %d %s", name, status, m["Code"])
		}
	}
	if status, m := do(t, s, get("DescribeExecution", url.Values{"FlowName": {"order"}})); status != 400 || str(t, m, "Code") != "MissingRequiredParams" {
		t.Errorf("no ExecutionName: %d %s", status, m["Code"])
	}
	if status, m := do(t, s, get("DescribeExecution", with("ExecutionName", "ghost"))); status != 404 || str(t, m, "Code") != "ExecutionNotExists" {
		t.Errorf("ghost: %d %s", status, m["Code"])
	}
	if status, m := do(t, s, post("ReportTaskSucceeded", url.Values{"TaskToken": {"nope"}})); status != 400 || str(t, m, "Code") != "TaskTokenNotExists" {
		t.Errorf("unknown token: %d %s", status, m["Code"])
	}
}

// ListExecutions filters on StartedTime with the fake's clock, newest first,
// and its NextToken is opaque, not a name.
func TestListExecutionsTimeFilterAndTokens(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := fixedClock()
	s := standardFake(t, WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
	for _, n := range []string{"a", "b", "c"} {
		startIt(t, s, n)
		mu.Lock()
		now = now.Add(time.Minute)
		mu.Unlock()
	}
	_, m := do(t, s, get("ListExecutions", url.Values{"FlowName": {"order"}, "StartedTimeBegin": {"2024-01-02T03:05:00Z"}, "Limit": {"1"}}))
	var page []Execution
	_ = json.Unmarshal(m["Executions"], &page)
	tok := str(t, m, "NextToken")
	if len(page) != 1 || page[0].Name != "c" || tok == "" || tok == "b" {
		t.Fatalf("first page %+v, token %q", page, tok)
	}
	_, m = do(t, s, get("ListExecutions", url.Values{"FlowName": {"order"}, "StartedTimeBegin": {"2024-01-02T03:05:00Z"}, "Limit": {"1"}, "NextToken": {tok}}))
	_ = json.Unmarshal(m["Executions"], &page)
	if len(page) != 1 || page[0].Name != "b" || str(t, m, "NextToken") != "" {
		t.Fatalf("second page %+v, token %s", page, m["NextToken"])
	}
}

// A long poll answers as soon as the execution ends.
func TestDescribeExecutionLongPoll(t *testing.T) {
	t.Parallel()
	s := standardFake(t)
	startIt(t, s, "o_1")
	go func() {
		for s.Count("DescribeExecution") == 0 {
			time.Sleep(time.Millisecond)
		}
		_ = s.Finish("order", "o_1", "Succeeded", `{"x":1}`, "", "")
	}()
	_, m := do(t, s, get("DescribeExecution", url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}, "WaitTimeSeconds": {"60"}}))
	if str(t, m, "Status") != "Succeeded" || str(t, m, "Output") != `{"x":1}` {
		t.Fatalf("got %s", m)
	}
}

// Tasks complete once; events record them; an injection "after" carries
// the call out before it fails, and every call is counted.
func TestTasksEventsAndLateFailures(t *testing.T) {
	t.Parallel()
	s := standardFake(t)
	s.OnStart(func(c StartCall) StartReply {
		if c.ExecutionName == "done" {
			return StartReply{Status: "Succeeded", Output: "{}"}
		}
		return StartReply{}
	})
	startIt(t, s, "done")
	if e := s.Executions("order")[0]; e.Status != "Succeeded" {
		t.Fatalf("scripted execution %+v", e)
	}
	s.FailAfterNext("StartExecution", 1, 500, "InternalServerError", "late")
	if status, _ := do(t, s, post("StartExecution", url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}})); status != 500 {
		t.Fatalf("status %d", status)
	}
	tok, err := s.WaitForTask("order", "o_1", "approve")
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"TaskToken": {tok}, "Output": {`{"ok":1}`}}
	if status, m := do(t, s, post("ReportTaskSucceeded", q)); status != 200 {
		t.Fatalf("report: %d %s", status, m["Code"])
	}
	if status, _ := do(t, s, post("ReportTaskSucceeded", q)); status != 400 {
		t.Fatalf("second report answered %d", status)
	}
	_, m := do(t, s, get("GetExecutionHistory", url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}, "Limit": {"2"}}))
	var events []Event
	_ = json.Unmarshal(m["Events"], &events)
	if len(events) != 2 || events[0].Type != "ExecutionStarted" || events[1].Type != "TaskScheduled" || str(t, m, "NextToken") != "3" {
		t.Fatalf("first page %+v, token %s", events, m["NextToken"])
	}
	_, m = do(t, s, get("GetExecutionHistory", url.Values{"FlowName": {"order"}, "ExecutionName": {"o_1"}, "NextToken": {"3"}}))
	_ = json.Unmarshal(m["Events"], &events)
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	if !slices.Equal(types, []string{"TaskSubmitted", "TaskSucceeded"}) || events[0].ScheduleEventId != 2 {
		t.Fatalf("second page %+v", events)
	}
	if s.Count("StartExecution") != 2 || s.Count("ReportTaskSucceeded") != 2 || s.Count("GetExecutionHistory") != 2 {
		t.Fatalf("counts %d %d %d", s.Count("StartExecution"), s.Count("ReportTaskSucceeded"), s.Count("GetExecutionHistory"))
	}
}

// DescribeRegions answers Regions.Region[] in the asked language, Chinese
// by default (https://help.aliyun.com/document_detail/2869625.html).
func TestDescribeRegionsShape(t *testing.T) {
	t.Parallel()
	s := standardFake(t)
	_, m := do(t, s, post("DescribeRegions", nil))
	var regions struct {
		Region []struct{ RegionId, RegionEndpoint, LocalName string }
	}
	if err := json.Unmarshal(m["Regions"], &regions); err != nil || len(regions.Region) == 0 {
		t.Fatalf("Regions %s: %v", m["Regions"], err)
	}
	if r := regions.Region[0]; r.RegionId != "cn-hangzhou" || r.RegionEndpoint != "cn-hangzhou.fnf.aliyuncs.com" || r.LocalName != "华东1（杭州）" {
		t.Fatalf("first region %+v", r)
	}
}
