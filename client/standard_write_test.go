package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
	"github.com/flowtui/flowtui/fnf"
)

var errRefused = syscall.ECONNREFUSED

// countingTransport fails every request with err, counting them.
type countingTransport struct {
	n   int
	err error
}

func (t *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	t.n++
	return nil, t.err
}

// StopExecution ends the execution Stopped with Error and Cause
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution).
func TestStopExecutionStopsWithErrorAndCause(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	start(t, c, "o_1")
	d, err := c.StopExecution(context.Background(), fnf.StopRequest{FlowName: "order", ExecutionName: "o_1", Error: "Cancelled", Cause: "by hand"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != fnf.StatusStopped || d.StoppedTime == "" {
		t.Fatalf("got %+v", d)
	}
	r := srv.Requests()[1]
	if r.Method != http.MethodPost || r.Params.Get("Error") != "Cancelled" || r.Params.Get("Cause") != "by hand" || r.Query.Has("Error") {
		t.Fatalf("request %s %v", r.Method, r.Params)
	}
	events, _ := fnf.AllEvents(context.Background(), c, fnf.HistoryRequest{FlowName: "order", ExecutionName: "o_1"})
	if last := events[len(events)-1]; last.Type != fnf.EventExecutionStopped || !strings.Contains(last.EventDetail, "by hand") {
		t.Fatalf("last event %+v", last)
	}
}

// Error is 1–128 characters and Cause 1–4096
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution):
// longer ones are refused before anything is sent, naming the parameter.
func TestStopExecutionChecksItsArgumentsBeforeSending(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	for param, req := range map[string]fnf.StopRequest{
		"Error":         {FlowName: "order", ExecutionName: "o_1", Error: strings.Repeat("e", 129)},
		"Cause":         {FlowName: "order", ExecutionName: "o_1", Cause: strings.Repeat("c", 4097)},
		"ExecutionName": {FlowName: "order"},
	} {
		_, err := c.StopExecution(context.Background(), req)
		if err == nil || !strings.Contains(err.Error(), param) {
			t.Errorf("%s: got %v, want an error naming it", param, err)
		}
	}
	if n := srv.Count(""); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// Characters, not bytes: 128 three-byte characters are allowed.
	start(t, c, "o_1")
	if _, err := c.StopExecution(context.Background(), fnf.StopRequest{FlowName: "order", ExecutionName: "o_1", Error: strings.Repeat("停", 128)}); err != nil {
		t.Fatal(err)
	}
}

// A stop is not repeated blindly: after a lost answer DescribeExecution
// tells whether it took.
func TestStopExecutionResolvesALostAnswer(t *testing.T) {
	for name, tt := range map[string]struct {
		fail            func(*fnftest.Server)
		stops, describe int
	}{
		"it took":         {func(s *fnftest.Server) { s.FailAfterNext("StopExecution", 1, 500, fnf.CodeInternalServerError, "boom") }, 1, 1},
		"it did not take": {func(s *fnftest.Server) { s.FailNextCode("StopExecution", 1, 500, fnf.CodeInternalServerError, "boom") }, 2, 1},
		"reset after":     {func(s *fnftest.Server) { s.ResetAfterNext("StopExecution", 1) }, 1, 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := standardServer(t)
			c, _ := newTestCloud(t, srv, func(c *Config) { c.HTTPClient = noKeepAlive() })
			start(t, c, "o_1")
			tt.fail(srv)
			d, err := c.StopExecution(context.Background(), fnf.StopRequest{FlowName: "order", ExecutionName: "o_1"})
			if err != nil || d.Status != fnf.StatusStopped {
				t.Fatalf("got %+v, %v", d, err)
			}
			if s, dsc := srv.Count("StopExecution"), srv.Count("DescribeExecution"); s != tt.stops || dsc != tt.describe {
				t.Fatalf("%d stops, %d describes; want %d and %d", s, dsc, tt.stops, tt.describe)
			}
		})
	}
	t.Run("it ended first", func(t *testing.T) {
		srv := standardServer(t)
		c, _ := newTestCloud(t, srv)
		start(t, c, "o_1")
		srv.FailNextCode("StopExecution", 1, 500, fnf.CodeInternalServerError, "boom")
		srv.Finish("order", "o_1", "Succeeded", "{}", "", "")
		d, err := c.StopExecution(context.Background(), fnf.StopRequest{FlowName: "order", ExecutionName: "o_1"})
		if err == nil || !strings.Contains(err.Error(), "ended Succeeded") || d.Status != fnf.StatusSucceeded || srv.Count("StopExecution") != 1 {
			t.Fatalf("got %+v, %v after %d stops", d, err, srv.Count("StopExecution"))
		}
	})
}

// The task token travels in the query string and the rest in the form body, as the official
// SDK sends them
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded);
// a token completes its task once.
func TestReportTaskSendsTheTokenInTheQuery(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := standardServer(t)
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Signature = sig })
			start(t, c, "o_1")
			tok, err := srv.WaitForTask("order", "o_1", "approve")
			if err != nil {
				t.Fatal(err)
			}
			if err := c.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: tok, Output: `{"ok":true}`}); err != nil {
				t.Fatal(err)
			}
			r := srv.Requests()[1]
			if !r.Verified || r.Method != http.MethodPost || r.Query.Get("TaskToken") != tok || r.Query.Has("Output") || r.Params.Get("Output") != `{"ok":true}` {
				t.Fatalf("request %+v", r)
			}
			err = c.ReportTaskFailed(context.Background(), fnf.ReportRequest{TaskToken: tok, Error: "Rejected", Cause: "no"})
			var ae *fnf.APIError
			if !errors.Is(err, fnf.ErrTaskTokenNotExists) || !errors.As(err, &ae) || ae.Action != "ReportTaskFailed" {
				t.Fatalf("second report: %v", err)
			}
			if !strings.Contains(ae.Explain().Fix, "TaskSubmitted") {
				t.Fatalf("explanation %+v", ae.Explain())
			}
			r = srv.Requests()[2]
			if r.Query.Get("TaskToken") != tok || r.Params.Get("Error") != "Rejected" || r.Params.Get("Cause") != "no" || r.Query.Has("Cause") {
				t.Fatalf("ReportTaskFailed request %v / %v", r.Query, r.Params)
			}
		})
	}
}

// A report is refused the second time rather than applied twice, so it is
// retried after a lost answer; a retry that finds the task gone says that
// the lost attempt most likely completed it.
func TestReportTaskRetriesALostAnswer(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	start(t, c, "o_1")
	tok, _ := srv.WaitForTask("order", "o_1", "approve")
	srv.FailNextCode("ReportTaskSucceeded", 1, 503, "ServiceUnavailable", "busy")
	if err := c.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: tok}); err != nil || srv.Count("ReportTaskSucceeded") != 2 {
		t.Fatalf("got %v after %d attempts", err, srv.Count("ReportTaskSucceeded"))
	}

	tok, _ = srv.WaitForTask("order", "o_1", "approve_again")
	srv.FailAfterNext("ReportTaskFailed", 1, 500, fnf.CodeInternalServerError, "boom")
	err := c.ReportTaskFailed(context.Background(), fnf.ReportRequest{TaskToken: tok, Error: "E"})
	if !errors.Is(err, fnf.ErrTaskTokenNotExists) || !strings.Contains(err.Error(), "most likely completed it") {
		t.Fatalf("got %v", err)
	}
	if n := srv.Count("ReportTaskFailed"); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
	if err := c.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{}); err == nil || !strings.Contains(err.Error(), "TaskToken") {
		t.Fatalf("empty token: %v", err)
	}
}

// DescribeRegions posts AcceptLanguage and reads Regions.Region[]
// (https://help.aliyun.com/document_detail/2869625.html).
func TestDescribeRegions(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	regions, err := c.DescribeRegions(context.Background(), "en-US")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) == 0 || regions[0] != (fnf.Region{RegionId: "cn-hangzhou", RegionEndpoint: "cn-hangzhou.fnf.aliyuncs.com", LocalName: "China (Hangzhou)"}) {
		t.Fatalf("regions %+v", regions)
	}
	if r := srv.Requests()[0]; r.Method != http.MethodPost || r.Params.Get("AcceptLanguage") != "en-US" || r.Query.Has("AcceptLanguage") {
		t.Fatalf("request %s %v", r.Method, r.Params)
	}
}

// A call cancelled while it waits for its rate bucket was never sent: it
// is no unknown outcome.
func TestACancelledRateWaitSendsNothing(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv, func(c *Config) {
		c.Buckets = map[string]Bucket{"StartExecution": {Rate: 0.001, Burst: 1}}
	})
	start(t, c, "o_1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.StartExecution(ctx, fnf.StartRequest{FlowName: "order"})
	var uo *fnf.UnknownOutcomeError
	if !errors.Is(err, context.Canceled) || errors.As(err, &uo) || !strings.Contains(err.Error(), "rate limit") {
		t.Fatalf("got %v", err)
	}
	if n := srv.Count(""); n != 1 {
		t.Fatalf("%d requests sent, want only the first start", n)
	}
}
