package main

// End-to-end tests of Standard executions from the command line: the local
// engine (--local) and a `flowtui serve` on loopback (--endpoint), with
// nothing faked in between. Waits are real here (sockets cannot run under
// testing/synctest), so the flows wait 1 s at most.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
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
	wantContains(t, "report's stderr", stderr, "reported the task of flow std-callback succeeded")
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
