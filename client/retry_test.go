package client

import (
	"context"
	"errors"
	"github.com/flowtui/flowtui/fnf"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/fnftest"
)

func TestReadsRetryThrottlingAndServerErrors(t *testing.T) {
	for _, tt := range []struct {
		status int
		code   string
	}{{429, fnf.CodeResourceThrottled}, {500, fnf.CodeInternalServerError}, {503, "ServiceUnavailable"}} {
		t.Run(tt.code, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f"}))
			srv.FailNextCode("DescribeFlow", 2, tt.status, tt.code, "try later")
			c, sl := newTestCloud(t, srv)
			if _, err := c.DescribeFlow(context.Background(), "f"); err != nil {
				t.Fatalf("third attempt should succeed: %v", err)
			}
			if n := srv.Count("DescribeFlow"); n != 3 {
				t.Fatalf("%d attempts, want 3", n)
			}
			if len(sl.d) != 2 {
				t.Fatalf("%d backoff waits, want 2", len(sl.d))
			}
		})
	}
}

func TestReadsGiveUpAfterFourAttempts(t *testing.T) {
	srv := fnftest.New(t)
	srv.FailNextCode("ListFlows", 10, 500, fnf.CodeInternalServerError, "down")
	c, sl := newTestCloud(t, srv)
	_, err := c.ListFlows(context.Background())
	if !errors.Is(err, fnf.ErrInternalServerError) {
		t.Fatalf("got %v", err)
	}
	if n := srv.Count("ListFlows"); n != 4 {
		t.Fatalf("%d attempts, want 4", n)
	}
	// Backoff grows: each wait is within [step/2, step] of 200 ms, 400 ms, 800 ms.
	for i, d := range sl.d {
		step := 200 * time.Millisecond << i
		if d < step/2 || d > step {
			t.Fatalf("wait %d is %v, want within [%v, %v]", i+1, d, step/2, step)
		}
	}
}

func TestReadsRetryADroppedConnection(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f"}))
	srv.ResetNext("DescribeFlow", 3)
	// A fresh connection per attempt, so that net/http's own retry of an idle
	// keep-alive connection does not hide the reset.
	c, _ := newTestCloud(t, srv, func(c *Config) { c.HTTPClient = noKeepAlive() })
	if _, err := c.DescribeFlow(context.Background(), "f"); err != nil {
		t.Fatalf("got %v", err)
	}
	if n := srv.Count("DescribeFlow"); n != 4 {
		t.Fatalf("%d attempts, want 4", n)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	srv := fnftest.New(t)
	srv.FailNextCode("DescribeFlow", 10, 404, fnf.CodeFlowNotExists, "no such flow")
	c, sl := newTestCloud(t, srv)
	_, err := c.DescribeFlow(context.Background(), "f")
	if !errors.Is(err, fnf.ErrFlowNotExists) || srv.Count("") != 1 || len(sl.d) != 0 {
		t.Fatalf("err %v after %d attempts", err, srv.Count(""))
	}
}

func TestStartSyncExecutionRetriesOnlyThrottling(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
	srv.FailNextCode("StartSyncExecution", 2, 429, fnf.CodeResourceThrottled, "slow down")
	c, _ := newTestCloud(t, srv)
	res, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f", Input: `{}`})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 3 || srv.Count("StartSyncExecution") != 3 {
		t.Fatalf("attempts %d, server saw %d; want 3", res.Attempts, srv.Count("StartSyncExecution"))
	}
}

func TestStartSyncExecutionNeverRetriesAnUnknownOutcome(t *testing.T) {
	cases := map[string]func(*fnftest.Server){
		"500": func(s *fnftest.Server) {
			s.FailNextCode("StartSyncExecution", 5, 500, fnf.CodeInternalServerError, "boom")
		},
		"HTML 502":     func(s *fnftest.Server) { s.FailNext("StartSyncExecution", 5, 502, "<html>bad gateway</html>") },
		"reset":        func(s *fnftest.Server) { s.ResetNext("StartSyncExecution", 5) },
		"slow timeout": func(s *fnftest.Server) { s.HangNext("StartSyncExecution", 5) },
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
			setup(srv)
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Timeout = 100 * time.Millisecond; c.HTTPClient = noKeepAlive() })
			_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f", ExecutionName: "run_1"})
			var uo *fnf.UnknownOutcomeError
			if !errors.As(err, &uo) {
				t.Fatalf("got %T %v, want *UnknownOutcomeError", err, err)
			}
			if n := srv.Count("StartSyncExecution"); n != 1 {
				t.Fatalf("%d attempts, want exactly 1", n)
			}
			if msg := err.Error(); !strings.Contains(msg, "outcome unknown") || !strings.Contains(msg, `"run_1"`) {
				t.Fatalf("message %q should say the outcome is unknown and name the execution", msg)
			}
		})
	}
}

func TestTimeoutEndsAHungCall(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f"}))
	srv.HangNext("DescribeFlow", 10)
	c, _ := newTestCloud(t, srv, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	_, err := c.DescribeFlow(context.Background(), "f")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Fatalf("got %v", err)
	}
	// A deadline is not retried: the next attempt would wait as long.
	if n := srv.Count("DescribeFlow"); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

func TestCancellingTheContextStopsTheWait(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
	srv.HangNext("StartSyncExecution", 1)
	c, _ := newTestCloud(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.StartSyncExecution(ctx, fnf.SyncRequest{FlowName: "f"})
		done <- err
	}()
	for srv.Count("StartSyncExecution") == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped waiting") {
		t.Fatalf("got %v", err)
	}
}

func TestCancellingDuringBackoffStops(t *testing.T) {
	srv := fnftest.New(t)
	srv.FailNextCode("ListFlows", 10, 503, "ServiceUnavailable", "down")
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestCloud(t, srv, func(c *Config) {
		c.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	_, err := c.ListFlows(ctx)
	if !errors.Is(err, context.Canceled) || srv.Count("") != 1 {
		t.Fatalf("got %v after %d attempts", err, srv.Count(""))
	}
}

func TestRetryAfterIsHonouredUpToTheCap(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	if d := p.Delay(1, 3*time.Second); d != 3*time.Second {
		t.Fatalf("Retry-After 3s gave %v", d)
	}
	if d := p.Delay(1, time.Hour); d != p.Max {
		t.Fatalf("Retry-After 1h gave %v, want the cap %v", d, p.Max)
	}
	for attempt := 1; attempt < 70; attempt++ {
		if d := p.Delay(attempt, 0); d <= 0 || d > p.Max {
			t.Fatalf("attempt %d: delay %v out of (0, %v]", attempt, d, p.Max)
		}
	}
}

func noKeepAlive() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return &http.Client{Transport: tr}
}
