package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestRunThrottledOnEveryAttemptGivesUpAfterFour is the one test that waits
// through the client's real backoff (a second or so).
func TestRunThrottledOnEveryAttemptGivesUpAfterFour(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.FailNextCode("StartSyncExecution", 10, 429, "ResourceThrottled", "Too many executions.")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--input", `{"a":1}`, "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	if n := srv.Count("StartSyncExecution"); n != 4 {
		t.Errorf("StartSyncExecution was sent %d times, want 4 attempts", n)
	}
	wantContains(t, "stderr", stderr, "ResourceThrottled", "HTTP 429", "what it means:", "did not start")
}

func TestRunInternalServerErrorIsNotRetriedAndOutcomeUnknown(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.FailNextCode("StartSyncExecution", 1, 500, "InternalServerError", "Something broke.")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--name", "exec1", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	if n := srv.Count("StartSyncExecution"); n != 1 {
		t.Errorf("StartSyncExecution was sent %d times; a 500 may have run the flow, so exactly 1", n)
	}
	wantContains(t, "stderr", stderr, "outcome unknown", "InternalServerError", "not retried", "exec1")
}

func TestRunInternalServerErrorJSON(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.FailNextCode("StartSyncExecution", 1, 500, "InternalServerError", "Something broke.")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "InternalServerError" || e.Error.HttpStatus != 500 || e.Error.RequestId == "" {
		t.Errorf("error JSON = %+v", e.Error)
	}
}

func TestDescribeBehindAProxyReturningHTML502(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.FailNext("DescribeFlow", 10, 502, "<html>bad gateway</html>")

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "HTTP 502", "bad gateway")
	for _, bad := range []string{"invalid character", "looking for beginning of value", "not valid JSON"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr reports a JSON parse error (%q) instead of the HTTP status:\n%s", bad, stderr)
		}
	}
	if n := srv.Count("DescribeFlow"); n != 4 {
		t.Errorf("DescribeFlow was sent %d times; reads retry a 5xx, 4 attempts in all", n)
	}
}

func TestDescribeRecoversWhenTheRetryWorks(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.FailNext("DescribeFlow", 1, 502, "<html>bad gateway</html>")

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, `"Name": "my_flow"`)
	if n := srv.Count("DescribeFlow"); n != 2 {
		t.Errorf("DescribeFlow was sent %d times, want 2", n)
	}
}

func TestRunTimeoutOnAHungServerIsOutcomeUnknown(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.HangNext("StartSyncExecution", 1)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--timeout", "200ms", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "timed out after 200ms", "outcome unknown", "may have run")
	if n := srv.Count("StartSyncExecution"); n != 1 {
		t.Errorf("StartSyncExecution was sent %d times; a timed-out run is not retried", n)
	}
}

func TestRunDroppedConnectionIsOutcomeUnknown(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.ResetNext("StartSyncExecution", 1)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "OutcomeUnknown" || !strings.Contains(e.Error.Message, "outcome unknown") {
		t.Errorf("error JSON = %+v", e.Error)
	}
	if n := srv.Count("StartSyncExecution"); n != 1 {
		t.Errorf("StartSyncExecution was sent %d times, want 1", n)
	}
}

func TestRunInterruptedStopsWaitingAndSaysTheExecutionGoesOn(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.HangNext("StartSyncExecution", 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := cancelWhen(t, cancel, func() bool { return srv.Count("StartSyncExecution") >= 1 })
	defer stop()

	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 130, stdout, stderr)
	wantContains(t, "stderr", stderr, "stopped waiting", "my_flow", "server-side")
	if n := srv.Count("StartSyncExecution"); n != 1 {
		t.Errorf("StartSyncExecution was sent %d times, want 1", n)
	}
}

// signalCause is what signal.NotifyContext gives as the cause when a signal
// cancels the context main passes to run.
var signalCause = errors.New("interrupt signal received")

func TestRunInterruptedBySignalJSON(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.HangNext("StartSyncExecution", 1)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stop := cancelWhen(t, func() { cancel(signalCause) }, func() bool { return srv.Count("StartSyncExecution") >= 1 })
	defer stop()

	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "my_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 130, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "Interrupted" || !strings.Contains(e.Error.Message, "server-side") {
		t.Errorf("error JSON = %+v, want Code Interrupted", e.Error)
	}
}

func TestFlowsInterruptedBySignalExits130(t *testing.T) {
	srv := newFake(t, expressFlow)
	srv.HangNext("ListFlows", 1)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stop := cancelWhen(t, func() { cancel(signalCause) }, func() bool { return srv.Count("ListFlows") >= 1 })
	defer stop()

	code, stdout, stderr := runCLIContext(t, ctx, "", "flows", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 130, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "Interrupted" || !strings.Contains(e.Error.Message, "stopped waiting") {
		t.Errorf("error JSON = %+v, want Code Interrupted", e.Error)
	}
	if n := srv.Count("ListFlows"); n != 1 {
		t.Errorf("ListFlows was sent %d times after the interrupt, want 1", n)
	}
}

// flowtui serve, while it stops, refuses a new request with a code of its
// own: run says the flow did not run, not that the outcome is unknown.
func TestRunRefusedByAStoppingServeSaysItDidNotRun(t *testing.T) {
	srv := newFake(t, expressFlow)
	const msg = "the endpoint is shutting down: it takes no new requests, and this one was not carried out; send it again once the server is back"
	srv.FailNextCode("StartSyncExecution", 1, 503, "ServiceUnavailable.NotCarriedOut", msg)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL, "--no-history")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "not carried out", "Nothing of flow \"my_flow\" ran", "Send it again")
	if strings.Contains(stderr, "outcome unknown") || strings.Contains(stderr, "may have run") {
		t.Errorf("a refused run is said to have maybe run:\n%s", stderr)
	}

	srv.FailNextCode("StartSyncExecution", 1, 503, "ServiceUnavailable.NotCarriedOut", msg)
	code, stdout, stderr = runCLI(t, "run", "my_flow", "--endpoint", srv.URL, "--no-history", "--json")
	wantCode(t, code, 3, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "ServiceUnavailable.NotCarriedOut" || e.Error.HttpStatus != 503 || strings.Contains(e.Error.Message, "unknown") {
		t.Errorf("error JSON = %+v", e.Error)
	}

	// A run cancelled at the end of the shutdown grace ran partway.
	srv.FailNextCode("StartSyncExecution", 1, 503, "ServiceUnavailable",
		"the endpoint is shutting down: the run was cancelled before it finished, at the end of the 30s shutdown grace")
	code, stdout, stderr = runCLI(t, "run", "my_flow", "--endpoint", srv.URL, "--no-history")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "outcome unknown", "shutting down", "flowtui serve", "may have run")
}
