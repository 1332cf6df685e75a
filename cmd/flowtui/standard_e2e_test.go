package main

// End-to-end tests of Standard executions from the command line: the local
// engine (--local) and a `flowtui serve` on loopback (--endpoint), with
// nothing faked in between. Waits are real here (sockets cannot run under
// testing/synctest), so the flows wait 1 s at most.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/client/fnftest"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// e2eFlows is a flows directory of Standard flows that end at once, after
// 1 s, never by themselves, or when their callback task is answered; and a
// legacy FDL flow, which runs as Standard.
func e2eFlows(t *testing.T) string {
	t.Helper()
	std := func(name, states string) string {
		return "Name: " + name + "\nExecutionMode: Standard\nDefinition: |\n" +
			"  Type: StateMachine\n  Name: " + name + "\n  SpecVersion: v1\n  StartAt: S\n  States:\n" + states
	}
	dir := t.TempDir()
	writeFile(t, dir, "std-pass.yaml", std("std-pass",
		"    - Type: Pass\n      Name: S\n      OutputConstructor:\n        greeting.$: format(\"hello {}\", $Input.who)\n      End: true\n"))
	writeFile(t, dir, "std-wait1.yaml", std("std-wait1",
		"    - Type: Wait\n      Name: S\n      Seconds: 1\n      End: true\n"))
	writeFile(t, dir, "std-hold.yaml", std("std-hold",
		"    - Type: Wait\n      Name: S\n      Seconds: 300\n      End: true\n"))
	writeFile(t, dir, "std-callback.yaml", std("std-callback",
		"    - Type: Task\n      Name: S\n      Action: MNS:SendMessage\n      TaskMode: WaitForCustomCallback\n      Timeout: 60\n"+
			"      Parameters:\n        resourceArn: acs:mns:cn-hangzhou:123456789:/queues/q/messages\n        message.$: $Context.Current.TaskToken\n"+
			"      End: true\n"))
	writeFile(t, dir, "legacy.yaml", "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: hello\n")
	return dir
}

// serveE2E is a `flowtui serve` of the e2e flows, and a command line
// pointed at it (the environment's keys are the server's).
func serveE2E(t *testing.T) (s *serving, cli func(args ...string) (int, string, string)) {
	t.Helper()
	s = serveWithEnvKeys(t, "--flows", e2eFlows(t), "--quiet")
	return s, func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(args, "--endpoint", s.url)...)
	}
}

// taskToken is the token of the execution's TaskSubmitted event, read as a
// user would: from `executions events --json`.
func taskToken(t *testing.T, cli func(args ...string) (int, string, string), flow, name string) string {
	t.Helper()
	code, stdout, stderr := cli("executions", "events", flow, name, "--json")
	wantCode(t, code, 0, stdout, stderr)
	var events []fnf.Event
	decodeStrict(t, stdout, &events)
	for _, e := range events {
		if e.Type == fnf.EventTaskSubmitted {
			var d struct{ TaskToken string }
			if err := json.Unmarshal([]byte(e.EventDetail), &d); err != nil || d.TaskToken == "" {
				t.Fatalf("TaskSubmitted without a token: %+v (%v)", e, err)
			}
			return d.TaskToken
		}
	}
	t.Fatalf("no TaskSubmitted event yet:\n%s", stdout)
	return ""
}

// waitSubmitted waits (briefly, for real) until the execution's callback
// task has been submitted, and returns its token.
func waitSubmitted(t *testing.T, cli func(args ...string) (int, string, string), flow, name string) string {
	t.Helper()
	for range 200 {
		code, stdout, _ := cli("executions", "events", flow, name, "--json")
		if code == 0 && strings.Contains(stdout, fnf.EventTaskSubmitted) {
			return taskToken(t, cli, flow, name)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("execution %s of %s never submitted its task", name, flow)
	return ""
}

// A Standard flow run on the local engine is followed to its end and
// printed as an Express run is, with its name; --events adds the timeline.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
func TestLocalRunOfAStandardFlowEndToEnd(t *testing.T) {
	isolate(t)
	dir := e2eFlows(t)
	code, stdout, stderr := runCLI(t, "run", "std-pass", "--local", "--flows", dir, "--name", "e1", "--input", `{"who":"CI"}`, "--json", "--events")
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.Status != "Succeeded" || r.Name != "e1" || r.FlowName != "std-pass" || r.Output != `{"greeting":"hello CI"}` ||
		r.Backend != "local" || r.StartedTime == "" || r.StoppedTime == "" || r.HistoryId == 0 {
		t.Errorf("run --json = %+v", r)
	}
	wantContains(t, "--events' timeline on stderr", stderr, "EVENT", "ExecutionStarted", "StepEntered", "ExecutionSucceeded")

	code, stdout, stderr = runCLI(t, "history", "show", fmt.Sprint(r.HistoryId))
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "Execution:    e1", "Standard", "Succeeded", "ExecutionSucceeded")
}

// A legacy FDL flow has no execution mode: it runs as a Standard execution.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/flow-definition-language-overview
func TestLocalRunOfALegacyFlow(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "run", "legacy", "--local", "--flows", e2eFlows(t), "--json", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.Status != "Succeeded" || r.Name == "" || r.Backend != "local" {
		t.Errorf("run --json of a legacy flow = %+v", r)
	}
}

// A callback task is answered from another process: `run` follows the
// execution while `executions events` reads the token of its TaskSubmitted
// event and `executions report` completes the task, succeeded or failed.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttaskfailed
func TestACallbackTaskDrivenToItsEnd(t *testing.T) {
	_, cli := serveE2E(t)
	type ran struct {
		code           int
		stdout, stderr string
	}
	follow := func(name string) <-chan ran {
		done := make(chan ran, 1)
		go func() {
			code, stdout, stderr := cli("run", "std-callback", "--name", name, "--input", `{"refundId":"R-1"}`, "--json")
			done <- ran{code, stdout, stderr}
		}()
		return done
	}

	done := follow("ok-1")
	token := waitSubmitted(t, cli, "std-callback", "ok-1")
	code, stdout, stderr := cli("executions", "report", "std-callback", token, "--succeeded", `{"approvedBy":"ana"}`)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "report's stderr", stderr, "reported the task of this token succeeded")
	r := <-done
	wantCode(t, r.code, 0, r.stdout, r.stderr)
	var out runOut
	decodeStrict(t, r.stdout, &out)
	if out.Status != "Succeeded" || out.Output != `{"approvedBy":"ana"}` {
		t.Errorf("the run answered with success: %+v", out)
	}
	// The token is spent.
	code, stdout, stderr = cli("executions", "report", "std-callback", token, "--succeeded", `{}`)
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "a spent token's error", stderr, "TaskTokenNotExists")

	done = follow("ko-1")
	token = waitSubmitted(t, cli, "std-callback", "ko-1")
	code, stdout, stderr = cli("executions", "report", "std-callback", token, "--failed", "Refund.Denied", "--cause", "over the limit")
	wantCode(t, code, 0, stdout, stderr)
	r = <-done
	wantCode(t, r.code, exitRunFailed, r.stdout, r.stderr)
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("run --json: %v\n%s", err, r.stdout)
	}
	if out.Status != "Failed" || out.ErrorCode != "Refund.Denied" || !strings.Contains(out.ErrorMessage, "over the limit") {
		t.Errorf("the run answered with a failure: %+v", out)
	}
}

// --no-wait, then list, show --wait and events: what a user follows a
// started execution with, and the history row brought up to date.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
func TestServeNoWaitListShowEvents(t *testing.T) {
	_, cli := serveE2E(t)
	code, stdout, stderr := cli("run", "std-wait1", "--name", "nw-1", "--no-wait")
	wantCode(t, code, 0, stdout, stderr)
	if stdout != "nw-1\n" {
		t.Errorf("run --no-wait stdout = %q, want the name", stdout)
	}
	wantContains(t, "run --no-wait's stderr", stderr, "Running · std-wait1 · nw-1", "flowtui executions show std-wait1 nw-1 --wait 60s")

	code, stdout, stderr = cli("executions", "list", "std-wait1", "--status", "Running", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var list []fnf.ExecutionDetail
	decodeStrict(t, stdout, &list)
	if len(list) != 1 || list[0].Name != "nw-1" || list[0].Status != fnf.StatusRunning {
		t.Fatalf("executions list --status Running = %+v", list)
	}
	code, stdout, stderr = cli("executions", "list", "std-wait1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "executions list's table", stdout, "STARTED", "STATUS", "DURATION", "NAME", "Running", "nw-1")

	code, stdout, stderr = cli("executions", "show", "std-wait1", "nw-1", "--wait", "5s")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "executions show --wait", stdout, "Status:", "Succeeded", "Stopped:", "Duration:")

	code, stdout, stderr = cli("history", "--json")
	wantCode(t, code, 0, stdout, stderr)
	if !regexp.MustCompile(`"Name": "nw-1"`).MatchString(stdout) || !strings.Contains(stdout, `"Status": "Succeeded"`) || strings.Contains(stdout, `"Status": "Running"`) {
		t.Errorf("the history row was not brought up to date:\n%s", stdout)
	}

	code, stdout, stderr = cli("executions", "events", "std-wait1", "nw-1", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var events []fnf.Event
	decodeStrict(t, stdout, &events)
	if len(events) < 3 || events[0].Type != fnf.EventExecutionStarted || events[len(events)-1].Type != fnf.EventExecutionSucceeded {
		t.Fatalf("events = %+v", events)
	}
	for i, e := range events {
		if e.EventId != int64(i+1) || e.Time == "" || !json.Valid([]byte(e.EventDetail)) {
			t.Errorf("event %d is not shaped as the API's: %+v", i, e)
		}
	}
	code, stdout, stderr = cli("executions", "events", "std-wait1", "nw-1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "the events' timeline", stdout, "TIME", "STEP", "EVENT", "DETAIL", "StepEntered", "ExecutionSucceeded")
}

// A stop with an error and a cause ends the execution Stopped with them;
// show, and the history the stop brought up to date, say so.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution
func TestServeStopWithErrorAndCause(t *testing.T) {
	_, cli := serveE2E(t)
	code, stdout, stderr := cli("run", "std-hold", "--name", "st-1", "--no-wait", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var started runOut
	decodeStrict(t, stdout, &started)

	code, stdout, stderr = cli("executions", "stop", "std-hold", "st-1", "--error", "Ops.Manual", "--cause", "stopped by hand")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stop's stderr", stderr, "Stopped · std-hold · st-1")

	code, stdout, stderr = cli("executions", "show", "std-hold", "st-1", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var d fnf.ExecutionDetail
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.Status != fnf.StatusStopped || d.ErrorCode != "Ops.Manual" || d.ErrorMessage != "stopped by hand" || d.StoppedTime == "" {
		t.Errorf("show --json after the stop = %+v", d)
	}
	code, stdout, stderr = cli("executions", "events", "std-hold", "st-1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "the timeline", stdout, "ExecutionStopped", "Ops.Manual")

	code, stdout, stderr = cli("history", "show", fmt.Sprint(started.HistoryId))
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show of the stopped run", stdout, "Stopped", "Ops.Manual", "stopped by hand", "ExecutionStopped")

}

// Ctrl-C while following a served execution leaves it running and prints
// the command that stops it; that command, run as printed, stops it.
func TestServeCtrlCPrintsAStopCommandThatWorks(t *testing.T) {
	s := serveWithEnvKeys(t, "--flows", e2eFlows(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupted once it is followed: its start is recorded.
	stop := cancelWhen(t, cancel, func() bool { return recordedRunning(t, "cc-1") })
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "std-hold", "--name", "cc-1", "--endpoint", s.url)
	stop()
	wantCode(t, code, exitInterrupted, stdout, stderr)
	wantContains(t, "stderr", stderr, "goes on server-side")
	m := regexp.MustCompile(`(?m)^\s+flowtui (executions stop .*)$`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no stop command printed:\n%s", stderr)
	}
	code, stdout, stderr = runCLI(t, strings.Fields(m[1])...)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "the printed command's stderr", stderr, "Stopped · std-hold · cc-1")

	code, stdout, stderr = runCLI(t, "history", "--json")
	wantCode(t, code, 0, stdout, stderr)
	if !strings.Contains(stdout, `"Name": "cc-1"`) || !strings.Contains(stdout, `"Status": "Stopped"`) {
		t.Errorf("the history row of the interrupted run was not brought up to date by the stop:\n%s", stdout)
	}
}

// An execution name is unique per flow: starting a running name again
// returns that execution, a finished one is ExecutionAlreadyExists.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestServeRepeatedExecutionName(t *testing.T) {
	_, cli := serveE2E(t)
	for range 2 {
		code, stdout, stderr := cli("run", "std-hold", "--name", "dup-1", "--no-wait")
		wantCode(t, code, 0, stdout, stderr)
		if stdout != "dup-1\n" {
			t.Errorf("stdout = %q", stdout)
		}
	}
	code, stdout, stderr := cli("executions", "list", "std-hold", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var list []fnf.ExecutionDetail
	decodeStrict(t, stdout, &list)
	if len(list) != 1 {
		t.Errorf("a repeated running name made %d executions: %+v", len(list), list)
	}

	code, stdout, stderr = cli("run", "std-pass", "--name", "dup-2")
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = cli("run", "std-pass", "--name", "dup-2", "--json")
	wantCode(t, code, exitAPI, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != fnf.CodeExecutionAlreadyExists || e.Error.HttpStatus != 400 {
		t.Errorf("a finished name again: %+v", e.Error)
	}
}

// --limit reads page by page across serve's NextToken and stops at the limit.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions
func TestServeListLimitAcrossPages(t *testing.T) {
	s, cli := serveE2E(t)
	std := cloudOf(t, s)
	for i := range 130 {
		if _, err := std.StartExecution(t.Context(), fnf.StartRequest{FlowName: "std-pass", ExecutionName: fmt.Sprintf("p-%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		limit string
		want  int
	}{{"120", 120}, {"500", 130}, {"5", 5}} {
		code, stdout, stderr := cli("executions", "list", "std-pass", "--limit", c.limit, "--json")
		wantCode(t, code, 0, stdout, stderr)
		var list []fnf.ExecutionDetail
		decodeStrict(t, stdout, &list)
		seen := map[string]bool{}
		for _, d := range list {
			seen[d.Name] = true
		}
		if len(list) != c.want || len(seen) != c.want {
			t.Errorf("--limit %s: %d executions (%d distinct), want %d", c.limit, len(list), len(seen), c.want)
		}
	}
	code, stdout, stderr := cli("executions", "list", "std-pass", "--prefix", "p-12", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var list []fnf.ExecutionDetail
	decodeStrict(t, stdout, &list)
	if len(list) != 10 {
		t.Errorf("--prefix p-12: %d executions, want 10", len(list))
	}
}

// A missing execution and an unknown task token are errors that name them.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded
func TestServeMissingExecutionAndUnknownToken(t *testing.T) {
	_, cli := serveE2E(t)
	for _, args := range [][]string{
		{"executions", "show", "std-pass", "ghost"},
		{"executions", "events", "std-pass", "ghost"},
		{"executions", "stop", "std-pass", "ghost"},
	} {
		code, stdout, stderr := cli(args...)
		wantCode(t, code, exitAPI, stdout, stderr)
		wantContains(t, strings.Join(args[:2], " ")+"'s stderr", stderr, "ExecutionNotExists", `"ghost"`, `"std-pass"`)
	}
	code, stdout, stderr := cli("executions", "show", "std-pass", "ghost", "--json")
	wantCode(t, code, exitAPI, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != fnf.CodeExecutionNotExists || !strings.Contains(e.Error.Message, "ghost") {
		t.Errorf("show --json of a missing execution: %+v", e.Error)
	}

	code, stdout, stderr = cli("executions", "report", "std-callback", "no-such-token", "--failed", "X")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "report's stderr", stderr, "TaskTokenNotExists")
}

// cloudOf is flowtui's cloud client pointed where cli points, with the
// environment's keys and no client-side rate limit, to set up many
// executions quickly.
func cloudOf(t *testing.T, s *serving) fnf.Standard {
	t.Helper()
	c, err := client.NewCloud(client.Config{
		Endpoint: s.url, Buckets: map[string]client.Bucket{},
		Credentials: client.StaticCredentials{AccessKeyID: fnftest.DefaultAccessKeyID, AccessKeySecret: fnftest.DefaultSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recordedRunning says whether the default history holds execution name,
// Running; a history not there yet, or busy, is not.
func recordedRunning(t *testing.T, name string) bool {
	path, err := history.DefaultPath()
	if err != nil {
		t.Error(err)
		return true
	}
	if _, err := os.Stat(path); err != nil {
		return false
	}
	hs, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		return false
	}
	defer hs.Close()
	runs, err := hs.List(context.Background(), history.Filter{})
	for _, r := range runs {
		if err == nil && r.Name == name && r.Status == fnf.StatusRunning {
			return true
		}
	}
	return false
}

// The commands printed to follow or stop an execution keep the --history
// the run was recorded in: run as printed, they bring its row up to date.
func TestPrintedCommandsKeepTheHistoryTheRunIsRecordedIn(t *testing.T) {
	_, cli := serveE2E(t)
	path := historyAt(t)
	code, stdout, stderr := cli("run", "std-wait1", "--name", "hk-1", "--no-wait", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	m := regexp.MustCompile(`(?m)^\s+flowtui (executions show .*)$`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no follow command printed:\n%s", stderr)
	}
	wantContains(t, "the follow command", m[1], "--history "+path)
	code, stdout, stderr = runCLI(t, strings.Fields(m[1])...)
	wantCode(t, code, 0, stdout, stderr)
	if runs := openRuns(t, path); len(runs) != 1 || runs[0].Status != fnf.StatusSucceeded {
		t.Errorf("the row after the printed follow command: %+v", runs)
	}
}

// Ctrl-C while following a local execution (std-hold, which waits 300 s)
// stops it: a local execution cannot outlive flowtui.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-stopexecution
func TestLocalCtrlCStopsTheExecutionAndRecordsIt(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := cancelWhen(t, cancel, func() bool { return recordedRunning(t, "ref-1") })
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "std-hold", "--flows", e2eFlows(t), "--name", "ref-1")
	stop()
	wantCode(t, code, exitInterrupted, stdout, stderr)
	wantContains(t, "stderr", stderr, "ref-1 was stopped")
	code, stdout, stderr = runCLI(t, "history", "show", "1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "Execution:    ref-1", "Stopped", "flowtui.Interrupted", "ExecutionStopped")
}

// Starting a name still running with another --input follows that
// execution: flowtui says so and that the --input was not used, and the
// history row keeps the execution's own input, not the one sent.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestServeRepeatedNameWithAnotherInputSaysItWasNotUsed(t *testing.T) {
	_, cli := serveE2E(t)
	path := historyAt(t)
	code, stdout, stderr := cli("run", "std-wait1", "--no-wait", "--name", "same1", "--input", `{"seconds":3}`, "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = cli("run", "std-wait1", "--name", "same1", "--input", `{"seconds":1,"other":1}`, "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "an execution named same1 of flow std-wait1 was already running: following it",
		"the --input given was not used")

	runs := openRuns(t, path)
	if len(runs) != 1 || runs[0].Status != fnf.StatusSucceeded {
		t.Fatalf("history = %+v, want one Succeeded row", runs)
	}
	code, stdout, stderr = runCLI(t, "history", "show", fmt.Sprint(runs[0].ID), "--json", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	var row struct{ Input string }
	if err := json.Unmarshal([]byte(stdout), &row); err != nil || row.Input != `{"seconds":3}` {
		t.Errorf("history show: Input %q (%v), want the execution's own {\"seconds\":3}", row.Input, err)
	}
}

// A local run of a flow with a WaitForCustomCallback task is refused
// before it starts (exit 2), naming the task and pointing to flowtui
// serve: its token would live in this process, where no other command can
// report it. Nothing is recorded.
func TestLocalRunOfAFlowWithACallbackTaskIsRefused(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	for _, c := range []struct{ flow, task string }{{"std-callback", "S"}, {"refund-approval", "AskApprover"}} {
		code, stdout, stderr := runCLI(t, "--flows", e2eFlows(t), "run", c.flow, "--history", path)
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, "stderr", stderr, `task "`+c.task+`"`, "WaitForCustomCallback", "flowtui serve", "--test-case")
	}
	if runs := openRuns(t, path); len(runs) != 0 {
		t.Errorf("history = %+v, want nothing recorded", runs)
	}
}

// A test case that mocks the callback task answers it, as Step Functions
// Local answers a mocked .waitForTaskToken task with its mock
// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html):
// the local run goes through, and --fast-wait skips the 60 s Wait while the
// times stay the flow's.
func TestLocalRunWithAMockedCallbackAndFastWait(t *testing.T) {
	isolate(t)
	path := historyAt(t)
	code, stdout, stderr := runCLI(t, "--local", "run", "refund-approval", "--test-case", "Approved", "--fast-wait", "--json", "--history", path)
	wantCode(t, code, exitOK, stdout, stderr)
	var got runJSON
	decodeStrict(t, stdout, &got)
	if got.Status != fnf.StatusSucceeded || !strings.Contains(got.Output, `"approvedBy":"kim"`) || got.DurationMs < 60_000 || !got.FastWait {
		t.Errorf("run = %+v; want Succeeded, approved by kim, 60 s of flow time, FastWait", got)
	}
	if got.LatencyMs >= 60_000 {
		t.Errorf("the round trip took %d ms: the 60 s Wait was not skipped", got.LatencyMs)
	}

	code, stdout, stderr = runCLI(t, "--local", "run", "refund-approval", "--test-case", "Rejected", "--fast-wait", "--history", path)
	wantCode(t, code, exitRunFailed, stdout, stderr)
	wantContains(t, "stderr", stderr, "Failed", "Refund.Rejected", "approver's limit", "waits skipped (--fast-wait)")
}

func TestFastWaitIsRefusedOffTheLocalEngine(t *testing.T) {
	_, cli := serveE2E(t)
	code, stdout, stderr := cli("run", "std-wait1", "--fast-wait")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "--fast-wait", "local engine", "the endpoint http://127.0.0.1:")
	code, stdout, stderr = cli("test", "../../flowtests", "--fast-wait")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "--fast-wait", "--endpoint")
}
