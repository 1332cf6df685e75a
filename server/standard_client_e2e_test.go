package server

// flowtui's own client (client.Cloud, both signatures) against serve over
// the real engine: every fnf.Standard method as a caller sees it, and
// serve's bounds. Waits are real (sockets), so flows wait 1 s at most.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// e2eFlowFiles are Standard flows that end at once, after 1 s, never by
// themselves, or when their callback task is answered.
func e2eFlowFiles(t *testing.T) string {
	return flowDir(t, map[string]string{
		"std-pass.yaml":  standardFlow("std-pass", "    - Type: Pass\n      Name: S\n      OutputConstructor:\n        n.$: $Input.n\n      End: true\n"),
		"std-wait1.yaml": standardFlow("std-wait1", "    - Type: Wait\n      Name: S\n      Seconds: 1\n      End: true\n"),
		"std-hold.yaml":  standardFlow("std-hold", "    - Type: Wait\n      Name: S\n      Seconds: 300\n      End: true\n"),
		"std-callback.yaml": standardFlow("std-callback", "    - Type: Task\n      Name: S\n      Action: MNS:SendMessage\n"+
			"      TaskMode: WaitForCustomCallback\n      Timeout: 60\n      Parameters:\n"+
			"        resourceArn: acs:mns:cn-hangzhou:123456789:/queues/q/messages\n        message.$: $Context.Current.TaskToken\n      End: true\n"),
	})
}

// submittedToken waits (briefly, for real) for the execution's
// TaskSubmitted event and returns its token, read through the client.
func submittedToken(t *testing.T, std fnf.Standard, flow, name string) string {
	t.Helper()
	for range 200 {
		events, err := fnf.AllEvents(t.Context(), std, fnf.HistoryRequest{FlowName: flow, ExecutionName: name})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Type == fnf.EventTaskSubmitted {
				var d struct{ TaskToken string }
				if err := json.Unmarshal([]byte(e.EventDetail), &d); err != nil || d.TaskToken == "" {
					t.Fatalf("TaskSubmitted without a token: %+v (%v)", e, err)
				}
				return d.TaskToken
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("execution %s of %s never submitted its task", name, flow)
	return ""
}

// Every fnf.Standard method of flowtui's client, V2 and V3, against serve.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttaskfailed
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeregions
func TestFlowtuisClientDrivesEveryStandardActionOfServe(t *testing.T) {
	ts := start(t, Config{Local: engineOpts(e2eFlowFiles(t))})
	for _, sig := range []string{"v2", "v3"} {
		t.Run(sig, func(t *testing.T) {
			var std fnf.Standard = ts.cloud(t, sig)
			ctx := t.Context()
			name := func(s string) string { return sig + "-" + s }

			// Start: at once, Running or already ended, with the name given.
			for i := range 7 {
				d, err := std.StartExecution(ctx, fnf.StartRequest{FlowName: "std-pass", ExecutionName: name(fmt.Sprintf("p%d", i)), Input: fmt.Sprintf(`{"n":%d}`, i)})
				if err != nil || d.Name != name(fmt.Sprintf("p%d", i)) || d.FlowName != "std-pass" || d.StartedTime == "" {
					t.Fatalf("StartExecution: %+v, %v", d, err)
				}
			}
			// The long poll ends as soon as the execution does: well within
			// its 5 s (the context would end the call at 4 s).
			if _, err := std.StartExecution(ctx, fnf.StartRequest{FlowName: "std-wait1", ExecutionName: name("w")}); err != nil {
				t.Fatal(err)
			}
			pollCtx, cancel := context.WithTimeout(ctx, 4*time.Second)
			d, err := std.DescribeExecution(pollCtx, fnf.DescribeRequest{FlowName: "std-wait1", ExecutionName: name("w"), Wait: 5 * time.Second})
			cancel()
			if err != nil || d.Status != fnf.StatusSucceeded || d.StoppedTime == "" {
				t.Fatalf("DescribeExecution with a 5 s wait on a 1 s execution: %+v, %v", d, err)
			}
			_, err = std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: "std-pass", ExecutionName: "ghost"})
			if !errors.Is(err, fnf.ErrExecutionNotExists) || !strings.Contains(err.Error(), "ghost") {
				t.Errorf("a missing execution: %v", err)
			}

			// Listed across pages of 2, filtered, with or without the bodies.
			wantEnded(t, std, "std-pass", name("p6"))
			all, err := fnf.AllExecutions(ctx, std, fnf.ListExecutionsRequest{FlowName: "std-pass", Limit: 2, NamePrefix: sig + "-", Status: fnf.StatusSucceeded}, 0)
			if err != nil || len(all) != 7 || distinct(all) != 7 {
				t.Fatalf("AllExecutions over pages of 2: %d (%d distinct), %v", len(all), distinct(all), err)
			}
			if all[0].Input == "" {
				t.Errorf("a listing without MetadataOnly has no Input: %+v", all[0])
			}
			meta, err := fnf.AllExecutions(ctx, std, fnf.ListExecutionsRequest{FlowName: "std-pass", Limit: 3, NamePrefix: name("p"), MetadataOnly: true,
				StartedBegin: time.Now().Add(-time.Minute), StartedEnd: time.Now().Add(time.Minute)}, 5)
			if err != nil || len(meta) != 5 || meta[0].Input != "" || meta[0].Output != "" {
				t.Errorf("AllExecutions MetadataOnly, bounded to 5: %+v, %v", meta, err)
			}
			none, err := fnf.AllExecutions(ctx, std, fnf.ListExecutionsRequest{FlowName: "std-pass", NamePrefix: sig + "-", Status: fnf.StatusRunning}, 0)
			if err != nil || len(none) != 0 {
				t.Errorf("no Running std-pass execution: %+v, %v", none, err)
			}

			// Events across pages of 2, in order, from start to end.
			events, err := fnf.AllEvents(ctx, std, fnf.HistoryRequest{FlowName: "std-wait1", ExecutionName: name("w"), Limit: 2})
			if err != nil || len(events) < 3 || events[0].Type != fnf.EventExecutionStarted || events[len(events)-1].Type != fnf.EventExecutionSucceeded {
				t.Fatalf("AllEvents: %+v, %v", events, err)
			}
			for i, e := range events {
				if e.EventId != int64(i+1) {
					t.Errorf("event %d has EventId %d: %+v", i, e.EventId, events)
				}
			}

			// Stopped with an error and a cause.
			if _, err := std.StartExecution(ctx, fnf.StartRequest{FlowName: "std-hold", ExecutionName: name("h")}); err != nil {
				t.Fatal(err)
			}
			d, err = std.StopExecution(ctx, fnf.StopRequest{FlowName: "std-hold", ExecutionName: name("h"), Error: "Ops.Manual", Cause: "by hand"})
			if err != nil || d.Status != fnf.StatusStopped || d.ErrorCode != "Ops.Manual" || d.ErrorMessage != "by hand" {
				t.Errorf("StopExecution: %+v, %v", d, err)
			}

			// Callback tasks answered, succeeded and failed.
			for _, ok := range []bool{true, false} {
				n := name(fmt.Sprintf("cb-%v", ok))
				if _, err := std.StartExecution(ctx, fnf.StartRequest{FlowName: "std-callback", ExecutionName: n}); err != nil {
					t.Fatal(err)
				}
				token := submittedToken(t, std, "std-callback", n)
				if ok {
					err = std.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: token, Output: `{"approved":true}`})
				} else {
					err = std.ReportTaskFailed(ctx, fnf.ReportRequest{TaskToken: token, Error: "Refund.Denied", Cause: "too much"})
				}
				if err != nil {
					t.Fatal(err)
				}
				d := wantEnded(t, std, "std-callback", n)
				if ok && (d.Status != fnf.StatusSucceeded || d.Output != `{"approved":true}`) ||
					!ok && (d.Status != fnf.StatusFailed || d.ErrorCode != "Refund.Denied" || !strings.Contains(d.ErrorMessage, "too much")) {
					t.Errorf("after the report (succeeded %v): %+v", ok, d)
				}
				err = std.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: token, Output: `{}`})
				if !errors.Is(err, fnf.ErrTaskTokenNotExists) {
					t.Errorf("a spent token: %v", err)
				}
			}

			regions, err := std.DescribeRegions(ctx, "en-US")
			if err != nil || len(regions) == 0 || regions[0].RegionId == "" {
				t.Errorf("DescribeRegions: %+v, %v", regions, err)
			}
		})
	}
}

// wantEnded long-polls the execution to its end (a few seconds at most).
func wantEnded(t *testing.T, std fnf.Standard, flow, name string) fnf.ExecutionDetail {
	t.Helper()
	d, err := std.DescribeExecution(t.Context(), fnf.DescribeRequest{FlowName: flow, ExecutionName: name, Wait: 5 * time.Second})
	if err != nil || !d.Status.Terminal() {
		t.Fatalf("execution %s of %s did not end: %+v, %v", name, flow, d, err)
	}
	return d
}

func distinct(execs []fnf.ExecutionDetail) int {
	seen := map[string]bool{}
	for _, d := range execs {
		seen[d.Name] = true
	}
	return len(seen)
}

// Past MaxExecutions the oldest finished executions are forgotten: they
// answer ExecutionNotExists, as an execution the service no longer keeps.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestServeForgetsTheOldestFinishedExecutionsPastItsBound(t *testing.T) {
	ts := start(t, Config{MaxExecutions: 3, Local: engineOpts(e2eFlowFiles(t))})
	std := ts.cloud(t, "v3")
	for i := range 5 {
		n := fmt.Sprintf("e%d", i)
		if _, err := std.StartExecution(t.Context(), fnf.StartRequest{FlowName: "std-pass", ExecutionName: n}); err != nil {
			t.Fatal(err)
		}
		wantEnded(t, std, "std-pass", n)
	}
	for i := range 5 {
		n := fmt.Sprintf("e%d", i)
		d, err := std.DescribeExecution(t.Context(), fnf.DescribeRequest{FlowName: "std-pass", ExecutionName: n})
		if i < 2 && !errors.Is(err, fnf.ErrExecutionNotExists) {
			t.Errorf("%s, among the two oldest of 5 with room for 3: %+v, %v; want ExecutionNotExists", n, d, err)
		}
		if i >= 2 && (err != nil || d.Status != fnf.StatusSucceeded) {
			t.Errorf("%s, among the newest 3: %+v, %v", n, d, err)
		}
	}
	all, err := fnf.AllExecutions(t.Context(), std, fnf.ListExecutionsRequest{FlowName: "std-pass"}, 0)
	if err != nil || len(all) != 3 {
		t.Errorf("ListExecutions past the bound: %+v, %v", all, err)
	}
}

// An execution that outlives StandardLimit ends TimedOut, and says so in
// its events.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
func TestServesStandardLimitTimesAnExecutionOut(t *testing.T) {
	ts := start(t, Config{StandardLimit: time.Second, Local: engineOpts(e2eFlowFiles(t))})
	std := ts.cloud(t, "v2")
	if _, err := std.StartExecution(t.Context(), fnf.StartRequest{FlowName: "std-hold", ExecutionName: "long"}); err != nil {
		t.Fatal(err)
	}
	d := wantEnded(t, std, "std-hold", "long")
	if d.Status != fnf.StatusTimedOut {
		t.Errorf("a 300 s Wait under a 1 s limit: %+v, want TimedOut", d)
	}
	events, err := fnf.AllEvents(t.Context(), std, fnf.HistoryRequest{FlowName: "std-hold", ExecutionName: "long"})
	if err != nil || len(events) == 0 || events[len(events)-1].Type != fnf.EventExecutionTimedOut {
		t.Errorf("the events of a timed-out execution: %+v, %v", events, err)
	}
}

// A server that stops ends its waiting executions Stopped, and their last
// event says why.
func TestStoppingTheServerRecordsWhyItsExecutionsStopped(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, _, served := serve(t, Config{Local: engineOpts(e2eFlowFiles(t))}, ctx)
	std := ts.cloud(t, "v2")
	for _, flow := range []string{"std-hold", "std-callback"} {
		if _, err := std.StartExecution(t.Context(), fnf.StartRequest{FlowName: flow, ExecutionName: "w1"}); err != nil {
			t.Fatal(err)
		}
	}
	submittedToken(t, std, "std-callback", "w1")
	stop()
	if err := waitFor(t, served, "Serve to return"); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	for _, flow := range []string{"std-hold", "std-callback"} {
		page, err := ts.Server.execs.GetExecutionHistory(context.Background(), fnf.HistoryRequest{FlowName: flow, ExecutionName: "w1"})
		if err != nil || len(page.Events) == 0 {
			t.Fatalf("%s's events after the stop: %+v, %v", flow, page, err)
		}
		last := page.Events[len(page.Events)-1]
		if last.Type != fnf.EventExecutionStopped || !strings.Contains(last.EventDetail, "flowtui serve stopped") {
			t.Errorf("%s's last event after the server stopped: %+v", flow, last)
		}
	}
}
