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
