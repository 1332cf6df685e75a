package engine

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// ListExecutions as its page describes it
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions):
// Limit 1–99 (default 60), NextToken, ExecutionNamePrefix, Status,
// StartedTimeBegin/End and MetadataOnly.

func names(p fnf.ExecutionPage) []string {
	var out []string
	for _, d := range p.Executions {
		out = append(out, d.Name)
	}
	return out
}

func list(t testing.TB, e *Executions, req fnf.ListExecutionsRequest) fnf.ExecutionPage {
	t.Helper()
	req.FlowName = "t"
	p, err := e.ListExecutions(context.Background(), req)
	if err != nil {
		t.Fatalf("ListExecutions: %v", err)
	}
	return p
}

func TestListExecutionsFiltersNewestFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", "- Type: Wait\n  Name: W\n  Seconds.$: $Input.s\n  End: true")
		e := newStd(t, ExecutionsOptions{}, "", standard("t", src))
		began := time.Now()
		for i, s := range []int{1, 100, 1, 100} {
			startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: fmt.Sprintf("run-%d", i), Input: fmt.Sprintf(`{"s":%d}`, s)})
			time.Sleep(10 * time.Second)
		}
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "other", Input: `{"s":1}`})
		synctest.Wait()
		if got := names(list(t, e, fnf.ListExecutionsRequest{})); !reflect.DeepEqual(got, []string{"other", "run-3", "run-2", "run-1", "run-0"}) {
			t.Errorf("all = %v; want newest first", got)
		}
		if got := names(list(t, e, fnf.ListExecutionsRequest{Status: fnf.StatusRunning})); !reflect.DeepEqual(got, []string{"other", "run-3", "run-1"}) {
			t.Errorf("Running = %v", got)
		}
		if got := names(list(t, e, fnf.ListExecutionsRequest{NamePrefix: "run-", Status: fnf.StatusSucceeded})); !reflect.DeepEqual(got, []string{"run-2", "run-0"}) {
			t.Errorf("run- Succeeded = %v", got)
		}
		got := names(list(t, e, fnf.ListExecutionsRequest{StartedBegin: began.Add(10 * time.Second), StartedEnd: began.Add(20 * time.Second)}))
		if !reflect.DeepEqual(got, []string{"run-2", "run-1"}) {
			t.Errorf("started between 10 and 20 s = %v", got)
		}
		p := list(t, e, fnf.ListExecutionsRequest{MetadataOnly: true})
		if d := p.Executions[0]; d.Input != "" || d.FlowDefinition != "" || d.StartedTime == "" || d.Status == "" {
			t.Errorf("MetadataOnly = %+v; want no input, output or definition", d)
		}
		if d := list(t, e, fnf.ListExecutionsRequest{}).Executions[0]; d.Input == "" || d.FlowDefinition == "" {
			t.Errorf("full = %+v", d)
		}
	})
}

func TestListExecutionsPagesStayStableWhileExecutionsStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		for i := range 5 {
			startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: fmt.Sprintf("e%d", i)})
		}
		first := list(t, e, fnf.ListExecutionsRequest{Limit: 2})
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "late"})
		second := list(t, e, fnf.ListExecutionsRequest{Limit: 2, NextToken: first.NextToken})
		third := list(t, e, fnf.ListExecutionsRequest{Limit: 2, NextToken: second.NextToken})
		got := [][]string{names(first), names(second), names(third)}
		want := [][]string{{"e4", "e3"}, {"e2", "e1"}, {"e0"}}
		if !reflect.DeepEqual(got, want) || third.NextToken != "" {
			t.Errorf("pages = %v (last token %q); want %v and no token", got, third.NextToken, want)
		}
		if n := len(list(t, e, fnf.ListExecutionsRequest{}).Executions); n != 6 {
			t.Errorf("default page = %d", n)
		}
		all, err := fnf.AllExecutions(context.Background(), e, fnf.ListExecutionsRequest{FlowName: "t", Limit: 1}, 0)
		if err != nil || len(all) != 6 {
			t.Errorf("AllExecutions = %d, %v", len(all), err)
		}
	})
}

func TestListExecutionsRefusesWhatItCannotAnswer(t *testing.T) {
	e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
	for _, bad := range []fnf.ListExecutionsRequest{{Limit: 100}, {Limit: -1}, {NextToken: "%%%"}, {NextToken: pageToken(historyToken, 1)}, {Status: "Paused"}} {
		bad.FlowName = "t"
		_, err := e.ListExecutions(context.Background(), bad)
		apiErr(t, err, fnf.CodeInvalidArgument, 400)
	}
	_, err := e.ListExecutions(context.Background(), fnf.ListExecutionsRequest{FlowName: "nope"})
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
	if p := list(t, e, fnf.ListExecutionsRequest{}); len(p.Executions) != 0 || p.Executions == nil {
		t.Errorf("a flow with none = %+v; want an empty list", p)
	}
}

func TestKeptExecutionsAreBoundedOldestFinishedFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", "- Type: Wait\n  Name: W\n  Seconds.$: $Input.s\n  End: true")
		e := newStd(t, ExecutionsOptions{MaxExecutions: 3}, "", standard("t", src))
		for i, s := range []int{100, 1, 2} {
			startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: fmt.Sprintf("e%d", i), Input: fmt.Sprintf(`{"s":%d}`, s)})
		}
		time.Sleep(5 * time.Second) // e1, then e2, have ended
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "e3", Input: `{"s":100}`})
		if got := names(list(t, e, fnf.ListExecutionsRequest{})); !reflect.DeepEqual(got, []string{"e3", "e2", "e0"}) {
			t.Errorf("kept = %v; want e1, the first to end, gone", got)
		}
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "e4", Input: `{"s":100}`})
		_, err := e.StartExecution(context.Background(), fnf.StartRequest{FlowName: "t", ExecutionName: "e5"})
		if ae := apiErr(t, err, fnf.CodeResourceThrottled, 429); !strings.Contains(ae.Message, "3 executions are running") {
			t.Errorf("Message = %q", ae.Message)
		}
		if got := names(list(t, e, fnf.ListExecutionsRequest{})); !reflect.DeepEqual(got, []string{"e4", "e3", "e0"}) {
			t.Errorf("kept = %v; want the running ones", got)
		}
	})
}

func TestKeptExecutionsAreBoundedInBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{MaxBytes: 64 << 10}, "", standard("t", flow("P", "- Type: Pass\n  Name: P\n  End: true")))
		big := `{"pad":"` + strings.Repeat("x", 10<<10) + `"}`
		for i := range 20 {
			startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: fmt.Sprintf("e%02d", i), Input: big})
			synctest.Wait()
		}
		p := list(t, e, fnf.ListExecutionsRequest{})
		if n := len(p.Executions); n == 0 || n >= 20 || p.Executions[0].Name != "e19" {
			t.Errorf("kept %d, newest %s; want the newest few within 64 KiB", n, p.Executions[0].Name)
		}
		if b := e.bytes.Load(); b > 64<<10 {
			t.Errorf("kept %d bytes; bound 64 KiB", b)
		}
	})
}

func TestTheLocalBackendRunsStandardFlows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		doc := "Name: slow\nExecutionMode: Standard\nDefinition: |\n" + indent(strings.Replace(waitFlow, "Name: t", "Name: slow", 1))
		l := newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"slow.yaml": doc}), Demos: true})
		t.Cleanup(func() { l.Close(context.Background(), "test over") })
		d, err := l.StartExecution(context.Background(), fnf.StartRequest{FlowName: "slow", ExecutionName: "s1"})
		if err != nil || d.Status != fnf.StatusRunning || d.RequestId == "" {
			t.Fatalf("StartExecution = %+v, %v", d, err)
		}
		if l.Running() != 1 {
			t.Errorf("Running = %d", l.Running())
		}
		_, err = l.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "slow", ExecutionName: "s2"})
		if ae := apiErr(t, err, fnf.CodeExecutionNotExists, 404); ae.Region != "local" || ae.Action != "DescribeExecution" || ae.RequestID == "" {
			t.Errorf("refusal = %+v; want it from the local engine", ae)
		}
		_, err = l.StartExecution(context.Background(), fnf.StartRequest{FlowName: "wait-then-go"})
		apiErr(t, err, fnf.CodeActionNotSupported, 400)
		if err := l.Close(context.Background(), "flowtui quit"); err != nil {
			t.Fatal(err)
		}
		d, _ = l.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "slow", ExecutionName: "s1"})
		if d.Status != fnf.StatusStopped || d.ErrorMessage != "flowtui quit" {
			t.Errorf("after Close = %+v", d)
		}
	})
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ") + "\n"
}

// An execution looked up in a flow that does not exist is answered as
// ListExecutions answers it: the flow does not exist, whatever the name.
func TestAnExecutionOfAFlowThatDoesNotExistIsFlowNotExists(t *testing.T) {
	e := NewExecutions(ExecutionsOptions{Find: func(string) (*Compiled, error) { return nil, nil }, Runner: &Runner{}})
	_, err := e.DescribeExecution(t.Context(), fnf.DescribeRequest{FlowName: "nope", ExecutionName: "e1"})
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
	_, err = e.GetExecutionHistory(t.Context(), fnf.HistoryRequest{FlowName: "nope", ExecutionName: "e1"})
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
	_, err = e.StopExecution(t.Context(), fnf.StopRequest{FlowName: "nope", ExecutionName: "e1"})
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
}
