package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/fnftest"
	"github.com/flowtui/flowtui/fnf"
)

// standardServer is a fake with a Standard flow "order" and an Express flow "quick".
func standardServer(t *testing.T) *fnftest.Server {
	return fnftest.New(t, fnftest.WithFlows(
		fnftest.Flow{Name: "order", ExecutionMode: "Standard", Definition: "Type: StateMachine\nName: order\n"},
		fnftest.Flow{Name: "quick", ExecutionMode: "Express"}))
}

func start(t *testing.T, c *Cloud, name string) fnf.ExecutionDetail {
	t.Helper()
	d, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order", ExecutionName: name, Input: `{"n":1}`})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// StartExecution sends its five parameters in a signed form body and returns the running
// execution
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution).
func TestStartExecutionPostsEveryParameter(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := standardServer(t)
			var got fnftest.StartCall
			srv.OnStart(func(c fnftest.StartCall) fnftest.StartReply { got = c; return fnftest.StartReply{} })
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Signature = sig })
			req := fnf.StartRequest{FlowName: "order", ExecutionName: "o_1", Input: `{"id":"A & ~*"}`, Qualifier: "2", CallbackFnFTaskToken: "parent-token"}
			d, err := c.StartExecution(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			want := fnftest.StartCall{FlowName: "order", ExecutionName: "o_1", Input: req.Input, Qualifier: "2", CallbackFnFTaskToken: "parent-token"}
			if got != want {
				t.Fatalf("server saw %+v, want %+v", got, want)
			}
			if d.Name != "o_1" || d.FlowName != "order" || d.Status != fnf.StatusRunning || d.Input != req.Input || d.StartedTime == "" || d.RequestId == "" {
				t.Fatalf("execution %+v", d)
			}
			r := srv.Requests()[0]
			if r.Method != http.MethodPost || r.ContentType != formType || !r.Verified || len(r.Query["Input"]) != 0 {
				t.Fatalf("request %+v: want a verified form POST with the parameters in the body", r)
			}
		})
	}
}

// The service keeps one execution per name: a running one is returned again, a finished one
// is ExecutionAlreadyExists, and no name gets a generated one
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution,
// "Usage notes").
func TestStartExecutionNameSemantics(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	first := start(t, c, "o_1")
	again := start(t, c, "o_1")
	if again.Name != first.Name || again.StartedTime != first.StartedTime || len(srv.Executions("order")) != 1 {
		t.Fatalf("a running name started another execution: %+v", srv.Executions("order"))
	}
	if err := srv.Finish("order", "o_1", "Succeeded", `{}`, "", ""); err != nil {
		t.Fatal(err)
	}
	_, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order", ExecutionName: "o_1"})
	if !errors.Is(err, fnf.ErrExecutionAlreadyExists) {
		t.Fatalf("got %v, want ExecutionAlreadyExists", err)
	}
	if gen := start(t, c, ""); gen.Name == "" || gen.Name == "o_1" {
		t.Fatalf("generated name %q", gen.Name)
	}
}

// StartExecution is for Standard flows only
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution);
// the explanation says so and points at the synchronous run.
func TestStartExecutionOnAnExpressFlowIsExplained(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	_, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "quick"})
	var ae *fnf.APIError
	if !errors.As(err, &ae) || ae.Code != fnf.CodeActionNotSupported || ae.Action != "StartExecution" || ae.FlowName != "quick" {
		t.Fatalf("got %v", err)
	}
	if ex := ae.Explain(); !strings.Contains(ex.Meaning, `flow "quick" is an Express flow`) || !strings.Contains(ex.Fix, "flowtui run") {
		t.Fatalf("explanation %+v", ex)
	}
	if n := srv.Count("StartExecution"); n != 1 {
		t.Fatalf("%d attempts", n)
	}
}

// A start whose answer is lost is resolved by the execution's name: the service returns the
// running execution for a repeated name and ExecutionNotExists when none started
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution,
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution).
func TestStartExecutionResolvesALostAnswerByName(t *testing.T) {
	for name, tt := range map[string]struct {
		fail             func(*fnftest.Server)
		starts, describe int
	}{
		"5xx after it started": {func(s *fnftest.Server) {
			s.FailAfterNext("StartExecution", 1, 500, fnf.CodeInternalServerError, "boom")
		}, 1, 1},
		"reset after it started": {func(s *fnftest.Server) { s.ResetAfterNext("StartExecution", 1) }, 1, 1},
		"5xx before it started":  {func(s *fnftest.Server) { s.FailNextCode("StartExecution", 1, 500, fnf.CodeInternalServerError, "boom") }, 2, 1},
		"timeout, nothing ran":   {func(s *fnftest.Server) { s.HangNext("StartExecution", 1) }, 2, 1},
		"HTML 502 from a proxy":  {func(s *fnftest.Server) { s.FailNext("StartExecution", 1, 502, "<html>bad gateway</html>") }, 2, 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := standardServer(t)
			tt.fail(srv)
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Timeout = 200 * time.Millisecond; c.HTTPClient = noKeepAlive() })
			d, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order", ExecutionName: "o_1"})
			if err != nil {
				t.Fatalf("got %v, want the execution", err)
			}
			if d.Name != "o_1" || d.Status != fnf.StatusRunning {
				t.Fatalf("execution %+v", d)
			}
			if s, dsc := srv.Count("StartExecution"), srv.Count("DescribeExecution"); s != tt.starts || dsc != tt.describe {
				t.Fatalf("%d starts and %d describes, want %d and %d", s, dsc, tt.starts, tt.describe)
			}
			if n := len(srv.Executions("order")); n != 1 {
				t.Fatalf("%d executions, want 1", n)
			}
		})
	}
}

// Without a name nothing can tell whether a lost start started: one
// attempt, and the error says the outcome is unknown and how to check.
func TestStartExecutionWithoutANameLeavesTheOutcomeUnknown(t *testing.T) {
	srv := standardServer(t)
	srv.FailAfterNext("StartExecution", 1, 500, fnf.CodeInternalServerError, "boom")
	c, _ := newTestCloud(t, srv)
	_, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order"})
	var uo *fnf.UnknownOutcomeError
	if !errors.As(err, &uo) || !errors.Is(err, fnf.ErrInternalServerError) {
		t.Fatalf("got %T %v, want an *UnknownOutcomeError", err, err)
	}
	if srv.Count("StartExecution") != 1 || srv.Count("DescribeExecution") != 0 {
		t.Fatalf("%d requests, want exactly one start", srv.Count(""))
	}
	if msg := err.Error(); !strings.Contains(msg, "outcome unknown") || !strings.Contains(msg, "flowtui executions list order") {
		t.Fatalf("message %q should say the outcome is unknown and how to check", msg)
	}
	var ae *fnf.APIError
	if errors.As(err, &ae); !strings.Contains(ae.Explain().Fix, "executions list") {
		t.Fatalf("explanation %+v", ae.Explain())
	}
}

// When the service cannot tell either, the outcome stays unknown and the
// error names the command that will tell.
func TestStartExecutionUnresolvedStaysUnknown(t *testing.T) {
	srv := standardServer(t)
	srv.FailAfterNext("StartExecution", 1, 500, fnf.CodeInternalServerError, "boom")
	srv.FailNextCode("DescribeExecution", 4, 503, "ServiceUnavailable", "down")
	c, _ := newTestCloud(t, srv)
	_, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order", ExecutionName: "o_1"})
	var uo *fnf.UnknownOutcomeError
	if !errors.As(err, &uo) || !strings.Contains(err.Error(), "flowtui executions show order o_1") {
		t.Fatalf("got %v", err)
	}
	if srv.Count("StartExecution") != 1 || srv.Count("DescribeExecution") != 4 {
		t.Fatalf("%d starts, %d describes; want 1 and 4", srv.Count("StartExecution"), srv.Count("DescribeExecution"))
	}
}

// Throttling and a request that never left started nothing: retried.
func TestStartExecutionRetriesWhatStartedNothing(t *testing.T) {
	srv := standardServer(t)
	srv.FailNextCode("StartExecution", 2, 429, fnf.CodeResourceThrottled, "slow down")
	c, sl := newTestCloud(t, srv)
	if _, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order"}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("StartExecution"); n != 3 || len(sl.d) != 2 {
		t.Fatalf("%d attempts, %d waits; want 3 and 2", n, len(sl.d))
	}

	rt := &countingTransport{err: fmt.Errorf("dial tcp 127.0.0.1:1: %w", errRefused)}
	c, _ = newTestCloud(t, srv, func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} })
	_, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order"})
	var uo *fnf.UnknownOutcomeError
	if err == nil || errors.As(err, &uo) || rt.n != 4 {
		t.Fatalf("refused connection: %v after %d attempts; want 4 attempts and no unknown outcome", err, rt.n)
	}

	// A host name that does not resolve will not resolve in a moment either.
	rt = &countingTransport{err: &net.DNSError{Err: "no such host", Name: "fnf.invalid", IsNotFound: true}}
	c, _ = newTestCloud(t, srv, func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} })
	if _, err := c.StartExecution(context.Background(), fnf.StartRequest{FlowName: "order"}); err == nil || errors.As(err, &uo) || rt.n != 1 {
		t.Fatalf("unknown host: %v after %d attempts; want 1 attempt and no unknown outcome", err, rt.n)
	}
}

// WaitTimeSeconds long-polls: the answer comes when the execution ends
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution).
func TestDescribeExecutionLongPollAnswersWhenTheExecutionEnds(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	start(t, c, "o_1")
	done := make(chan fnf.ExecutionDetail, 1)
	go func() {
		d, err := c.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "order", ExecutionName: "o_1", Wait: time.Minute})
		if err != nil {
			t.Error(err)
		}
		done <- d
	}()
	for srv.Count("DescribeExecution") == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := srv.Finish("order", "o_1", "Succeeded", `{"paid":true}`, "", ""); err != nil {
		t.Fatal(err)
	}
	d := <-done
	if d.Status != fnf.StatusSucceeded || d.Output != `{"paid":true}` || d.StoppedTime == "" {
		t.Fatalf("got %+v, want the ended execution", d)
	}
	if got := srv.Requests()[1].Params.Get("WaitTimeSeconds"); got != "60" {
		t.Fatalf("WaitTimeSeconds %q, want 60", got)
	}
}

// A long poll longer than the read timeout is not cut off by it.
func TestALongPollOutlastsTheReadTimeout(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv, func(c *Config) { c.Timeout = 300 * time.Millisecond })
	start(t, c, "o_1")
	d, err := c.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "order", ExecutionName: "o_1", Wait: time.Second})
	if err != nil || d.Status != fnf.StatusRunning {
		t.Fatalf("got %+v, %v; want the still running execution after the wait", d, err)
	}
}

func TestWaitIsSentInWholeSecondsWithinTheRange(t *testing.T) {
	for d, want := range map[time.Duration]int{-time.Second: 0, 0: 0, time.Millisecond: 1, 1500 * time.Millisecond: 2, time.Minute: 60, time.Hour: 60} {
		if got := waitSeconds(d); got != want {
			t.Errorf("waitSeconds(%v) = %d, want %d", d, got, want)
		}
	}
}

// A missing execution is a typed error whose explanation says how to find the right name
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution,
// error codes).
func TestAMissingExecutionIsExplained(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	_, err := c.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "order", ExecutionName: "ghost"})
	var ae *fnf.APIError
	if !errors.Is(err, fnf.ErrExecutionNotExists) || !errors.As(err, &ae) || ae.Action != "DescribeExecution" || ae.FlowName != "order" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), `"ghost"`) || !strings.Contains(ae.Explain().Fix, "flowtui executions list") {
		t.Fatalf("message %q, explanation %+v", err, ae.Explain())
	}
	if n := srv.Count(""); n != 1 {
		t.Fatalf("%d requests: a client error is not retried", n)
	}
}

// The reads retry throttling and server errors with backoff.
func TestStandardReadsRetryServerErrors(t *testing.T) {
	calls := map[string]func(*Cloud) error{
		"DescribeExecution": func(c *Cloud) error {
			_, err := c.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "order", ExecutionName: "o_1"})
			return err
		},
		"ListExecutions": func(c *Cloud) error {
			_, err := c.ListExecutions(context.Background(), fnf.ListExecutionsRequest{FlowName: "order"})
			return err
		},
		"GetExecutionHistory": func(c *Cloud) error {
			_, err := c.GetExecutionHistory(context.Background(), fnf.HistoryRequest{FlowName: "order", ExecutionName: "o_1"})
			return err
		},
		"DescribeRegions": func(c *Cloud) error { _, err := c.DescribeRegions(context.Background(), ""); return err },
	}
	for action, call := range calls {
		t.Run(action, func(t *testing.T) {
			srv := standardServer(t)
			c, sl := newTestCloud(t, srv)
			start(t, c, "o_1")
			srv.FailNextCode(action, 1, 503, "ServiceUnavailable", "busy")
			srv.FailNextCode(action, 1, 429, fnf.CodeResourceThrottled, "slow")
			if err := call(c); err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(action); n != 3 || len(sl.d) != 2 {
				t.Fatalf("%d attempts and %d waits, want 3 and 2", n, len(sl.d))
			}
		})
	}
}

func names(execs []fnf.ExecutionDetail) []string {
	var out []string
	for _, e := range execs {
		out = append(out, e.Name)
	}
	return out
}

// Every filter goes out under the API's name, times in UTC RFC 3339
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions,
// request parameters).
func TestListExecutionsSendsEveryFilterAsTheAPINamesIt(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	east := time.FixedZone("UTC+8", 8*3600)
	_, err := c.ListExecutions(context.Background(), fnf.ListExecutionsRequest{
		FlowName: "order", Limit: 20, NamePrefix: "o_", Status: fnf.StatusFailed, Qualifier: "2", MetadataOnly: true,
		StartedBegin: time.Date(2024, 1, 2, 11, 4, 5, 0, east), StartedEnd: time.Date(2024, 1, 3, 8, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.Requests()[0]
	want := map[string]string{"FlowName": "order", "Limit": "20", "ExecutionNamePrefix": "o_", "Status": "Failed", "Qualifier": "2",
		"MetadataOnly": "true", "StartedTimeBegin": "2024-01-02T03:04:05Z", "StartedTimeEnd": "2024-01-03T08:00:00Z"}
	for k, v := range want {
		if got := r.Query.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if r.Method != http.MethodGet || r.Query.Has("NextToken") {
		t.Fatalf("request %s %v", r.Method, r.Query)
	}
}

// The filters select as the service does, newest first.
func TestListExecutionsFilters(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	for _, n := range []string{"a_1", "a_2", "b_1"} {
		start(t, c, n)
	}
	if err := srv.Finish("order", "a_1", "Failed", "", "E", "bad"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		req  fnf.ListExecutionsRequest
		want []string
	}{
		{fnf.ListExecutionsRequest{}, []string{"b_1", "a_2", "a_1"}},
		{fnf.ListExecutionsRequest{NamePrefix: "a_"}, []string{"a_2", "a_1"}},
		{fnf.ListExecutionsRequest{Status: fnf.StatusRunning}, []string{"b_1", "a_2"}},
		{fnf.ListExecutionsRequest{Status: fnf.StatusFailed, NamePrefix: "a"}, []string{"a_1"}},
	} {
		tt.req.FlowName = "order"
		page, err := c.ListExecutions(context.Background(), tt.req)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(page.Executions); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: %v, want %v", tt.req, got, tt.want)
		}
	}
	page, _ := c.ListExecutions(context.Background(), fnf.ListExecutionsRequest{FlowName: "order", MetadataOnly: true})
	if e := page.Executions[0]; e.Input != "" || e.FlowDefinition != "" {
		t.Errorf("MetadataOnly still carries %+v", e)
	}
}

// AllExecutions follows the opaque NextToken through every page.
func TestAllExecutionsFollowsEveryPage(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	for i := range 130 {
		start(t, c, fmt.Sprintf("o_%03d", i))
	}
	before := srv.Count("ListExecutions")
	all, err := fnf.AllExecutions(context.Background(), c, fnf.ListExecutionsRequest{FlowName: "order", Limit: 50}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 130 || all[0].Name != "o_129" || all[129].Name != "o_000" {
		t.Fatalf("%d executions, first %q, last %q", len(all), all[0].Name, all[len(all)-1].Name)
	}
	if n := srv.Count("ListExecutions") - before; n != 3 {
		t.Fatalf("%d pages, want 3", n)
	}
	if _, err := c.ListExecutions(context.Background(), fnf.ListExecutionsRequest{FlowName: "order", Limit: 100}); err == nil || !strings.Contains(err.Error(), "1 to 99") {
		t.Fatalf("Limit 100: %v", err)
	}
}

// AllEvents pages through an execution's history, oldest first
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory).
func TestAllEventsFollowsEveryPage(t *testing.T) {
	srv := standardServer(t)
	c, _ := newTestCloud(t, srv)
	start(t, c, "o_1")
	for i := range 119 {
		if err := srv.AddEvents("order", "o_1", fnftest.Event{StepName: fmt.Sprint("s", i), Type: fnf.EventStepEntered, EventDetail: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	events, err := fnf.AllEvents(context.Background(), c, fnf.HistoryRequest{FlowName: "order", ExecutionName: "o_1", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 120 || events[0].Type != fnf.EventExecutionStarted || events[0].EventId != 1 || events[119].EventId != 120 || events[119].StepName != "s118" {
		t.Fatalf("%d events: first %+v, last %+v", len(events), events[0], events[len(events)-1])
	}
	if n := srv.Count("GetExecutionHistory"); n != 3 {
		t.Fatalf("%d pages, want 3", n)
	}
}
