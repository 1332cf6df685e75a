package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// seeded is a fake whose flow nightly has n executions that ended, the
// newest first in lists: run-<n> … run-1, one a minute, every fifth Failed.
func seeded(n int) *sessiontest.Fake {
	fake := standardFake(fnf.KindCloud, time.Second, fnf.StatusSucceeded, `{}`)
	base := time.Now().Add(-time.Duration(n) * time.Minute)
	for i := 1; i <= n; i++ {
		st := fnf.StatusSucceeded
		if i%5 == 0 {
			st = fnf.StatusFailed
		}
		start := base.Add(time.Duration(i) * time.Minute)
		fake.Seed(fnf.ExecutionDetail{FlowName: "nightly", Name: fmt.Sprintf("run-%d", i), Status: st,
			StartedTime: fnf.FormatTime(start), StoppedTime: fnf.FormatTime(start.Add(1500 * time.Millisecond))}, nil)
	}
	return fake
}

func TestExecutionsListPrintsATableNewestFirst(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runWith(t, t.Context(), seeded(3), "executions", "list", "nightly")
	wantCode(t, code, 0, stdout, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "STARTED") || !strings.Contains(lines[0], "STATUS") ||
		!strings.Contains(lines[0], "DURATION") || !strings.Contains(lines[0], "NAME") {
		t.Fatalf("table:\n%s", stdout)
	}
	if !strings.Contains(lines[1], "run-3") || !strings.Contains(lines[1], "Succeeded") || !strings.Contains(lines[1], "1.5 s") {
		t.Errorf("first row = %q, want run-3, Succeeded, 1.5 s", lines[1])
	}
}

func TestExecutionsListJSONUsesTheAPIFieldNames(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runWith(t, t.Context(), seeded(2), "executions", "list", "nightly", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var got []struct{ FlowName, Name, Status, StartedTime, StoppedTime string }
	decodeStrict(t, stdout, &got)
	if len(got) != 2 || got[0].Name != "run-2" || got[0].FlowName != "nightly" || got[0].StoppedTime == "" {
		t.Errorf("list --json = %+v", got)
	}
	code, stdout, _ = runWith(t, t.Context(), seeded(0), "executions", "list", "nightly", "--json")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("an empty list --json = %d %q, want []", code, stdout)
	}
}

func TestExecutionsListFiltersAndBoundsWhatItFetches(t *testing.T) {
	isolate(t)
	fake := seeded(250)
	code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "list", "nightly", "--limit", "150", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var got []fnf.ExecutionDetail
	decodeStrict(t, stdout, &got)
	if len(got) != 150 || fake.Calls("ListExecutions") != 2 {
		t.Errorf("--limit 150 gave %d executions in %d pages, want 150 in 2 (99 a page)", len(got), fake.Calls("ListExecutions"))
	}
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "list", "nightly", "--status", "failed", "--since", "30m", "--json")
	wantCode(t, code, 0, stdout, stderr)
	decodeStrict(t, stdout, &got)
	if len(got) != 6 { // run-225 … run-250, every fifth
		t.Errorf("--status failed --since 30m = %d executions, want 6", len(got))
	}
	for _, d := range got {
		if d.Status != fnf.StatusFailed {
			t.Errorf("--status failed listed %s %s", d.Name, d.Status)
		}
	}
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "list", "nightly", "--prefix", "run-24", "--json")
	wantCode(t, code, 0, stdout, stderr)
	decodeStrict(t, stdout, &got)
	if len(got) != 11 { // run-24, run-240 … run-249
		t.Errorf("--prefix run-24 = %d executions, want 11", len(got))
	}
}

func TestExecutionsBadFlagsNameTheFlag(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "nightly", "--status", "Done"}, `--status "Done"`},
		{[]string{"list", "nightly", "--status", "Error"}, `--status "Error"`},
		{[]string{"list", "nightly", "--since", "yesterday"}, `--since "yesterday"`},
		{[]string{"list", "nightly", "--limit", "0"}, "--limit 0"},
		{[]string{"list", "nightly", "--prefix", "a b"}, "--prefix"},
		{[]string{"show", "nightly", "n1", "--wait", "90s"}, "--wait 1m30s"},
		{[]string{"show", "nightly", "n1", "--wait", "1500ms"}, "--wait 1.5s"},
		{[]string{"show", "nightly"}, "FLOW NAME"},
		{[]string{"stop", "nightly", "n1", "--error", strings.Repeat("E", 129)}, "--error"},
		{[]string{"stop", "nightly", "n1", "--cause", strings.Repeat("c", 4097)}, "--cause"},
		{[]string{"report", "nightly", "tok"}, "--succeeded OUTPUT or --failed CODE"},
		{[]string{"report", "nightly", "tok", "--succeeded", "{}", "--failed", "E"}, "--succeeded OUTPUT or --failed CODE"},
		{[]string{"report", "nightly", "tok", "--succeeded", "{nope"}, "--succeeded:1:2: invalid JSON"},
		{[]string{"report", "nightly", "tok", "--succeeded", "{}", "--cause", "x"}, "--cause goes with --failed"},
		{[]string{"report", "nightly", "tok", "--succeeded", "@/nonexistent/out.json"}, "--succeeded"},
	} {
		fake := seeded(1)
		code, stdout, stderr := runWith(t, t.Context(), fake, append([]string{"executions"}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("executions %s: exit %d, stderr %q; want 2 naming %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
		_ = stdout
		for _, action := range []string{"ListExecutions", "DescribeExecution", "StopExecution", "ReportTaskSucceeded", "ReportTaskFailed"} {
			if fake.Calls(action) != 0 {
				t.Errorf("executions %s: %s was called despite the bad flag", strings.Join(c.args, " "), action)
			}
		}
	}
}

func TestExecutionsShowOfAMissingExecutionNamesIt(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runWith(t, t.Context(), seeded(1), "executions", "show", "nightly", "nope")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "stderr", stderr, `flow "nightly" has no execution "nope"`, "ExecutionNotExists", "what to do:", "flowtui executions list FLOW")

	code, stdout, _ = runWith(t, t.Context(), seeded(1), "executions", "events", "nightly", "nope", "--json")
	var e errorOut
	decodeStrict(t, stdout, &e)
	if code != exitAPI || e.Error.Code != "ExecutionNotExists" || e.Error.HttpStatus != 404 {
		t.Errorf("events --json of a missing execution: exit %d, %+v", code, e)
	}
}

func TestExecutionsShowWaitsForTheEndAndRecordsIt(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	fake := standardFake(fnf.KindCloud, 50*time.Millisecond, fnf.StatusSucceeded, `{"ok":true}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--no-wait", "--input", `{"a":1}`, "--history", path)
	wantCode(t, code, 0, stdout, stderr)

	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "show", "nightly", "n1", "--wait", "5s", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "show", stdout, "Flow:", "nightly", "Name:", "n1", "Status:", "Succeeded", "Duration:", "Output:", `"ok": true`, "Input:", `"a": 1`)
	runs := openRuns(t, path)
	if len(runs) != 1 || runs[0].Status != fnf.StatusSucceeded {
		t.Fatalf("history = %+v, want the --no-wait run brought up to date", runs)
	}
	code, stdout, stderr = runCLI(t, "history", "show", "1", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "Events:", "ExecutionSucceeded")

	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "show", "nightly", "n1", "--json", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	var d struct{ RequestId, FlowName, Name, Status, Input, Output, StartedTime, StoppedTime string }
	decodeStrict(t, stdout, &d)
	if d.Name != "n1" || d.Status != "Succeeded" || d.Output != `{"ok":true}` || d.Input != `{"a":1}` {
		t.Errorf("show --json = %+v", d)
	}
}

func TestExecutionsEventsPrintsATimeline(t *testing.T) {
	isolate(t)
	fake := seeded(0)
	fake.Seed(fnf.ExecutionDetail{FlowName: "nightly", Name: "n1", Status: fnf.StatusSucceeded, StartedTime: "2026-11-02T10:00:00.000Z"}, []fnf.Event{
		{EventId: 1, Type: fnf.EventExecutionStarted, Time: "2026-11-02T10:00:00.000Z", EventDetail: `{"input": "{}"}`},
		{EventId: 2, StepName: "Charge", Type: fnf.EventTaskSubmitted, Time: "2026-11-02T10:00:01.000Z", EventDetail: `{"taskToken":"tok-1"}`},
		{EventId: 3, Type: fnf.EventExecutionSucceeded, Time: "2026-11-02T10:00:02.000Z", EventDetail: `{}`},
	})
	code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "events", "nightly", "n1")
	wantCode(t, code, 0, stdout, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "TIME") || !strings.Contains(lines[2], "Charge") ||
		!strings.Contains(lines[2], "TaskSubmitted") || !strings.Contains(lines[2], `{"taskToken":"tok-1"}`) {
		t.Errorf("timeline:\n%s", stdout)
	}
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "events", "nightly", "n1", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var events []struct {
		EventId, ScheduleEventId          int64
		StepName, Type, Time, EventDetail string
	}
	decodeStrict(t, stdout, &events)
	if len(events) != 3 || events[1].Type != "TaskSubmitted" || events[1].EventDetail != `{"taskToken":"tok-1"}` {
		t.Errorf("events --json = %+v", events)
	}
}

func TestExecutionsStopStopsWithTheErrorAndCause(t *testing.T) {
	isolate(t)
	fake := standardFake(fnf.KindCloud, time.Hour, fnf.StatusSucceeded, `{}`)
	code, stdout, stderr := runWith(t, t.Context(), fake, "run", "nightly", "--name", "n1", "--no-wait", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "stop", "nightly", "n1", "--error", "Ops.Halt", "--cause", "bad data", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "Stopped · nightly · n1")
	if len(fake.Stops) != 1 || fake.Stops[0].Error != "Ops.Halt" || fake.Stops[0].Cause != "bad data" {
		t.Errorf("stops = %+v", fake.Stops)
	}
}

func TestExecutionsReportAnswersACallbackTask(t *testing.T) {
	isolate(t)
	out := writeFile(t, t.TempDir(), "out.json", "{\"charged\": true}\n")
	fake := seeded(0)
	fake.TaskToken = "tok-1"
	code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "report", "nightly", "tok-1", "--succeeded", "@"+out)
	wantCode(t, code, 0, stdout, stderr)
	if len(fake.Reports) != 1 || fake.Reports[0].Output != `{"charged": true}` || fake.Reports[0].TaskToken != "tok-1" {
		t.Errorf("reports = %+v", fake.Reports)
	}
	// Answered once: the token is gone.
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "report", "nightly", "tok-1", "--failed", "Card.Declined", "--cause", "no funds")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "stderr", stderr, "TaskTokenNotExists", "TaskSubmitted")
}

// A backend without a Standard side says so, and nothing is sent.
func TestExecutionsOnABackendWithoutStandardExecutions(t *testing.T) {
	isolate(t)
	onlyExpress := struct{ fnf.Backend }{seeded(0)}
	code, stdout, stderr := runWith(t, t.Context(), onlyExpress, "executions", "list", "nightly")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "does not offer Standard executions")
}

// What the backend says reaches the terminal only through the sanitiser.
func TestExecutionsOutputIsSanitised(t *testing.T) {
	isolate(t)
	fake := seeded(0)
	fake.Seed(fnf.ExecutionDetail{FlowName: "nightly", Name: "evil", Status: fnf.StatusFailed, ErrorCode: "E\x1b[31m",
		ErrorMessage: "bad\u202eterm\x07", Output: "{\"x\":\"\x1b]0;title\x07\"}", StartedTime: "2026-11-02T10:00:00.000Z"},
		[]fnf.Event{{EventId: 1, StepName: "S\x1b[2J", Type: "StepFailed\u200b", Time: "2026-11-02T10:00:00.000Z", EventDetail: "{\"e\":\"\x9b31m\"}"}})
	for _, args := range [][]string{
		{"executions", "list", "nightly"}, {"executions", "show", "nightly", "evil"}, {"executions", "show", "nightly", "evil", "--json"},
		{"executions", "events", "nightly", "evil"}, {"executions", "events", "nightly", "evil", "--json"},
	} {
		code, stdout, stderr := runWith(t, t.Context(), fake, append(args, "--no-history")...) // runWith checks the output
		wantCode(t, code, 0, stdout, stderr)
	}
}

// An Express flow has no executions to list: an empty list says why, and
// what lists its runs instead. A Standard flow's empty list says nothing
// more.
func TestExecutionsListOfAnExpressFlowSaysWhyItIsEmpty(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "--local", "executions", "list", "order-routing")
	wantCode(t, code, exitOK, stdout, stderr)
	wantContains(t, "stderr", stderr, "no executions", "order-routing is an Express flow", "flowtui history")
	_, _, stderr = runCLI(t, "--local", "executions", "list", "refund-approval")
	if strings.Contains(stderr, "Express flow") {
		t.Errorf("a Standard flow's empty list speaks of Express:\n%s", stderr)
	}
}
