package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// standardFake is a backend with one Standard flow, nightly, whose
// executions run for runs and end with status and output.
func standardFake(kind string, runs time.Duration, status fnf.Status, output string) *sessiontest.Fake {
	return &sessiontest.Fake{
		BackendInfo: fnf.Info{Kind: kind, Endpoint: "http://127.0.0.1:9791"},
		Flows:       []fnf.Flow{{Name: "nightly", ExecutionMode: fnf.ModeStandard}, {Name: "legacy"}, {Name: "quick", ExecutionMode: fnf.ModeExpress}},
		Script: func(fnf.StartRequest) sessiontest.Script {
			return sessiontest.Script{Runs: runs, Status: status, Output: output, ErrorCode: errorCodeOf(status), ErrorMessage: errorCodeOf(status)}
		},
	}
}

func errorCodeOf(s fnf.Status) string {
	if s == fnf.StatusFailed {
		return "Order.Invalid"
	}
	return ""
}

// historyAt is a --history file in a fresh directory.
func historyAt(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "h.db")
}

func openRuns(t *testing.T, path string) []history.Run {
	t.Helper()
	hs, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	runs, err := hs.List(context.Background(), history.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// A Standard run is followed with 60 s long-polls, not a busy loop, and
// prints the run object an Express run prints.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestRunFollowsAStandardFlowWithLongPollsAndPrintsTheRunObject(t *testing.T) {
	isolate(t)
	synctest.Test(t, func(t *testing.T) {
		fake := standardFake(fnf.KindCloud, 3*time.Minute+10*time.Second, fnf.StatusSucceeded, `{"done":true}`)
		code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--input", `{"a":1}`, "--json", "--no-history")
		wantCode(t, code, 0, stdout, stderr)
		var r runOut
		decodeStrict(t, stdout, &r)
		if r.Name != "n1" || r.FlowName != "nightly" || r.Status != "Succeeded" || r.Output != `{"done":true}` ||
			r.Backend != "cloud" || r.DurationMs != (3*time.Minute+10*time.Second).Milliseconds() {
			t.Errorf("run --json = %+v", r)
		}
		if got := fake.Calls("DescribeExecution"); got != 4 {
			t.Errorf("DescribeExecution called %d times for a 3m10s execution, want 4 long-polls", got)
		}
		if len(fake.Starts) != 1 || fake.Starts[0].ExecutionName != "n1" || fake.Starts[0].Input != `{"a":1}` {
			t.Errorf("StartExecution got %+v", fake.Starts)
		}
		if fake.Calls("StartSyncExecution") != 0 {
			t.Error("a Standard flow was run with StartSyncExecution")
		}
	})
}

func TestRunOfAStandardFlowPrintsTheOutputAndTheSummaryWithItsName(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindCloud, 0, fnf.StatusSucceeded, `{"done":true}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	if stdout != "{\n  \"done\": true\n}\n" {
		t.Errorf("stdout = %q, want the output pretty-printed", stdout)
	}
	wantContains(t, "the summary", stderr, "Succeeded · nightly · n1")
}

func TestRunOfALegacyFlowWithoutAModeIsAStandardRun(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindCloud, 0, fnf.StatusFailed, "")
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "legacy", "--no-history")
	wantCode(t, code, exitRunFailed, stdout, stderr)
	wantContains(t, "the summary", stderr, "Failed · legacy · exec-1", "Order.Invalid")
	if fake.Calls("StartExecution") != 1 {
		t.Errorf("StartExecution called %d times", fake.Calls("StartExecution"))
	}
}

func TestRunEventsPrintsTheTimelineWhenTheExecutionEnds(t *testing.T) {
	isolate(t)
	for _, flag := range []string{"--events", "--trace"} {
		fake := standardFake(fnf.KindCloud, 0, fnf.StatusSucceeded, `{}`)
		code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", flag, "--no-history")
		wantCode(t, code, 0, stdout, stderr)
		wantContains(t, flag+"'s stderr", stderr, "TIME", "STEP", "EVENT", "DETAIL", "ExecutionStarted", "StepEntered", "Work", "ExecutionSucceeded")
	}
}

func TestRunNoWaitPrintsTheStartedExecutionAndRecordsItRunning(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	fake := standardFake(fnf.KindCloud, time.Hour, fnf.StatusSucceeded, `{}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--no-wait", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	if stdout != "n1\n" {
		t.Errorf("stdout = %q, want the execution's name alone", stdout)
	}
	wantContains(t, "stderr", stderr, "Running · nightly · n1", "flowtui executions show nightly n1 --wait 60s")
	if fake.Calls("DescribeExecution") != 0 {
		t.Error("--no-wait followed the execution")
	}
	runs := openRuns(t, path)
	if len(runs) != 1 || runs[0].Status != fnf.StatusRunning || runs[0].Name != "n1" || runs[0].Mode != fnf.ModeStandard {
		t.Fatalf("history = %+v, want one Standard run recorded Running", runs)
	}

	code, stdout, stderr = runWith(t, t.Context(), fake, "run", "nightly", "--name", "n2", "--no-wait", "--json", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.Status != "Running" || r.Name != "n2" || r.StoppedTime != "" {
		t.Errorf("run --no-wait --json = %+v", r)
	}
}

func TestRunNoWaitIsRefusedOnTheLocalEngine(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindLocal, time.Hour, fnf.StatusSucceeded, `{}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--no-wait", "--no-history")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "--no-wait", "cannot outlive", "flowtui serve", "--endpoint")
	if fake.Calls("StartExecution") != 0 {
		t.Error("a refused --no-wait started an execution")
	}
}

func TestRunNoWaitOfAnExpressFlowIsRefused(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindCloud, 0, "", "")
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "quick", "--no-wait", "--no-history")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, `--no-wait: flow "quick" is an Express flow`)
}

// Ctrl-C while following: a remote execution goes on, and the command that
// stops it is printed; a local one is stopped and recorded so.
func TestCtrlCWhileFollowing(t *testing.T) {
	for _, kind := range []string{fnf.KindCloud, fnf.KindLocal} {
		t.Run(kind, func(t *testing.T) {
			isolate(t)
			path := historyAt(t)
			fake := standardFake(kind, time.Hour, fnf.StatusSucceeded, `{}`)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stop := cancelWhen(t, cancel, func() bool { return fake.Calls("DescribeExecution") > 0 })
			defer stop()
			code, stdout, stderr := runWith(t, ctx, fake, "run", "nightly", "--name", "n1", "--history", path)
			wantCode(t, code, exitInterrupted, stdout, stderr)
			runs := openRuns(t, path)
			if len(runs) != 1 {
				t.Fatalf("history = %+v", runs)
			}
			if kind == fnf.KindCloud {
				wantContains(t, "stderr", stderr, "goes on server-side", "flowtui executions stop nightly n1")
				if len(fake.Stops) != 0 || runs[0].Status != fnf.StatusRunning {
					t.Errorf("stops %+v, row %s: want no stop and the row Running", fake.Stops, runs[0].Status)
				}
				return
			}
			wantContains(t, "stderr", stderr, "was stopped")
			if len(fake.Stops) != 1 || fake.Stops[0].Cause != session.StopCause || runs[0].Status != fnf.StatusStopped {
				t.Errorf("stops %+v, row %+v: want one stop with the cause and the row Stopped", fake.Stops, runs[0])
			}
		})
	}
}

func TestAStandardRunIsRecordedWithItsEventsAndShownByHistoryShow(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	fake := standardFake(fnf.KindCloud, 0, fnf.StatusSucceeded, `{"ok":1}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--json", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.HistoryId != 1 {
		t.Fatalf("HistoryId = %d", r.HistoryId)
	}
	code, stdout, stderr = runCLI(t, "history", "show", "1", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "Execution:    n1", "Status:", "Succeeded", "Mode:", "Standard", "Events:", "ExecutionSucceeded", "StepEntered")

	code, stdout, stderr = runCLI(t, "history", "show", "1", "--json", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	if !strings.Contains(stdout, `"Events": [`) || !strings.Contains(stdout, `"Type": "ExecutionSucceeded"`) || !strings.Contains(stdout, `"Mode": "Standard"`) {
		t.Errorf("history show --json lacks the events:\n%s", stdout)
	}
}

// --events and --trace print what a run shows when it ends; with --no-wait
// they would be ignored, so the pair is refused, naming both, and nothing starts.
func TestRunEventsOrTraceWithNoWaitIsRefused(t *testing.T) {
	isolate(t)
	for _, flag := range []string{"--events", "--trace"} {
		fake := standardFake(fnf.KindCloud, time.Hour, fnf.StatusSucceeded, `{}`)
		code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--no-wait", flag, "--no-history")
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, "stderr", stderr, flag, "--no-wait")
		if n := fake.Calls("StartExecution"); n != 0 {
			t.Errorf("run --no-wait %s: %d StartExecution calls, want none", flag, n)
		}
	}
}

// A flow DescribeFlow says does not exist is reported as DescribeFlow's
// FlowNotExists, and no start is sent after it.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeflow
func TestRunOfAFlowThatDoesNotExistSendsNoStart(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindCloud, time.Second, fnf.StatusSucceeded, `{}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nosuch", "--no-history")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "stderr", stderr, "FlowNotExists", "DescribeFlow")
	if strings.Contains(stderr, "StartSyncExecution") {
		t.Errorf("the error names a start that should not have been sent:\n%s", stderr)
	}
	if n, m := fake.Calls("StartSyncExecution"), fake.Calls("StartExecution"); n+m != 0 {
		t.Errorf("%d StartSyncExecution and %d StartExecution calls after FlowNotExists", n, m)
	}
}

// describeBlocks is a backend whose DescribeFlow answers only when the
// caller gives up: an interrupt comes while run looks the flow up.
type describeBlocks struct {
	*sessiontest.Fake
	asked chan struct{}
}

func (d describeBlocks) DescribeFlow(ctx context.Context, _ string) (fnf.Flow, error) {
	close(d.asked)
	<-ctx.Done()
	return fnf.Flow{}, ctx.Err()
}

// Ctrl-C while run looks the flow up, before any start: it says nothing
// was started (exit 130), records no row and sends no start.
func TestCtrlCBeforeAnyStartRecordsNothing(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	fake := describeBlocks{standardFake(fnf.KindCloud, time.Second, fnf.StatusSucceeded, `{}`), make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-fake.asked; cancel() }()
	code, stdout, stderr := runWith(t, ctx, fake, "run", "nightly", "--history", path)
	wantCode(t, code, exitInterrupted, stdout, stderr)
	wantContains(t, "stderr", stderr, "nothing was started")
	if strings.Contains(stderr, "goes on") {
		t.Errorf("stderr says an execution goes on, though none was started:\n%s", stderr)
	}
	if runs := openRuns(t, path); len(runs) != 0 {
		t.Errorf("history = %+v, want no row", runs)
	}
	if n, m := fake.Calls("StartSyncExecution"), fake.Calls("StartExecution"); n+m != 0 {
		t.Errorf("%d StartSyncExecution and %d StartExecution calls after the interrupt", n, m)
	}
}

// When a Standard run ends, its events are read in the API's largest
// pages: 1,500 events cost two GetExecutionHistory calls, not 25.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
func TestRunReadsTheEventsOfAnEndedRunInTheLargestPages(t *testing.T) {
	isolate(t)
	events := make([]fnf.Event, 1500)
	for i := range events {
		events[i] = fnf.Event{EventId: int64(i + 1), Type: fnf.EventStepEntered, StepName: "S", EventDetail: "{}"}
	}
	fake := standardFake(fnf.KindCloud, 0, fnf.StatusSucceeded, `{}`)
	fake.Script = func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Events: events} }
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--events", "--history", historyAt(t))
	wantCode(t, code, 0, stdout, stderr)
	if n := fake.Calls("GetExecutionHistory"); n != 2 {
		t.Errorf("%d GetExecutionHistory calls for 1,500 events, want 2 pages of %d", n, fnf.MaxEventsLimit)
	}
	if got := strings.Count(stderr, "StepEntered"); got != 1500 {
		t.Errorf("--events printed %d of the 1,500 events", got)
	}
}

// --timeout bounds an Express run's wait; a local Standard run is followed
// until it ends, and run --help says so.
func TestTimeoutDoesNotBoundALocalStandardRun(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "run", "std-wait1", "--flows", e2eFlows(t), "--timeout", "200ms", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "Succeeded · std-wait1")
	code, stdout, stderr = runCLI(t, "run", "--help")
	wantCode(t, code, 0, stdout, stderr)
	help := strings.Join(strings.Fields(stdout), " ")
	wantContains(t, "run --help", help, "a Standard run is followed until it ends")
	if strings.Contains(help, "local runs stop there as TimedOut") {
		t.Errorf("run --help says every local run stops at --timeout:\n%s", stdout)
	}
}
