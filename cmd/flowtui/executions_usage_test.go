package main

import (
	"strings"
	"testing"
)

// An unknown executions subcommand is bad usage (exit 2) naming it, as an
// unknown top-level command is, not the help with exit 0; the bare group
// still prints its help.
func TestExecutionsUnknownSubcommandExitsTwo(t *testing.T) {
	isolate(t)
	for _, sub := range []string{"bogus", "list-all"} {
		code, stdout, stderr := runWith(t, t.Context(), seeded(1), "executions", sub)
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, "stderr", stderr, `unknown command "`+sub+`"`, "flowtui executions", "list, report, show, stop")
		if strings.Contains(stdout, "Available Commands") {
			t.Errorf("executions %s printed the help:\n%s", sub, stdout)
		}
	}
	code, stdout, stderr := runWith(t, t.Context(), seeded(1), "executions")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "help", stdout+stderr, "Available Commands")
}

// ReportTaskSucceeded and ReportTaskFailed take only a token, which may
// belong to another flow than the FLOW given: the confirmation and the
// error claim no flow.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded
func TestExecutionsReportClaimsNoFlow(t *testing.T) {
	isolate(t)
	fake := seeded(0)
	fake.TaskToken = "tok-1"
	code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "report", "other-flow", "tok-1", "--succeeded", "{}")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "reported the task of this token succeeded")
	first := stderr
	code, stdout, stderr = runWith(t, t.Context(), fake, "executions", "report", "other-flow", "tok-1", "--failed", "E")
	wantCode(t, code, exitAPI, stdout, stderr)
	if strings.Contains(first+stdout+stderr, "other-flow") {
		t.Errorf("the report claims the flow it was not sent:\n%s\n%s%s", first, stdout, stderr)
	}
}

// report --succeeded reads its output as --input is read: a file's bad
// byte or bad JSON is named with its place, nothing is sent, and a valid
// output of any JSON kind is sent as written.
func TestExecutionsReportChecksTheOutputAsInputIsChecked(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	for _, c := range []struct{ name, content, want string }{
		{"latin1.json", "{\"who\": \"Jos\xe9\"}\n", "latin1.json:1:13: invalid UTF-8 (byte 0xE9)"},
		{"bad.json", "{\n  \"a\": 1,\n  \"b\" 2\n}\n", "bad.json:3:7: invalid JSON"},
		{"empty.json", "\n", "empty"},
	} {
		fake := seeded(0)
		fake.TaskToken = "tok-1"
		path := writeFile(t, dir, c.name, c.content)
		code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "report", "nightly", "tok-1", "--succeeded", "@"+path)
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, "stderr", stderr, c.want)
		if len(fake.Reports) != 0 {
			t.Errorf("%s: sent %+v", c.name, fake.Reports)
		}
	}
	fake := seeded(0)
	fake.TaskToken = "tok-1"
	code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "report", "nightly", "tok-1", "--succeeded", `["a", 1]`)
	wantCode(t, code, 0, stdout, stderr)
	if len(fake.Reports) != 1 || fake.Reports[0].Output != `["a", 1]` {
		t.Errorf("reports = %+v", fake.Reports)
	}
}

// Stopping an execution that has ended says so, with the status it ended
// with, and sends no stop: it must not read as if this stop had ended it.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution
func TestExecutionsStopOfAnEndedExecutionSaysNothingWasStopped(t *testing.T) {
	isolate(t)
	fake := seeded(5)
	for _, c := range []struct{ name, status string }{{"run-1", "Succeeded"}, {"run-5", "Failed"}} {
		code, stdout, stderr := runWith(t, t.Context(), fake, "executions", "stop", "nightly", c.name, "--no-history")
		wantCode(t, code, 0, stdout, stderr)
		wantContains(t, "stderr", stderr, "execution "+c.name+" of flow nightly had already ended "+c.status, "nothing was stopped")
		if strings.HasPrefix(stderr, c.status+" · ") {
			t.Errorf("stop of an ended execution printed as a stop: %q", stderr)
		}
	}
	if n := fake.Calls("StopExecution"); n != 0 {
		t.Errorf("%d StopExecution calls for executions that had ended", n)
	}
}
