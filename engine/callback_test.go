package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Callback tasks, as the service-integration page describes them
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/service-integration-pattern):
// a WaitForCustomCallback task passes $Context.Current.TaskToken to the
// service it calls and waits for ReportTaskSucceeded or ReportTaskFailed
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded).

// approvalFlow sends the token in its Parameters, as the documentation's
// examples do, and catches a refusal.
var approvalFlow = flow("Ask", `
- Type: Task
  Name: Ask
  Action: MNS:SendMessage
  TaskMode: WaitForCustomCallback
  Timeout: 3600
  Parameters:
    resourceArn: acs:mns:cn-hangzhou:123:/queues/approvals/messages
    message.$: $Context.Current.TaskToken
  Retry:
    - Errors: [Approval.Busy]
      MaxAttempts: 1
      IntervalSeconds: 10
  Catch:
    - Errors: [Approval.Refused]
      Next: Refused
  End: true
- Type: Pass
  Name: Refused
  InputConstructor:
    refused: true
  End: true`)

// submittedToken is the task token of the n-th TaskSubmitted event (0-based)
// once it is there.
func submittedToken(t *testing.T, e *Executions, name string, n int) string {
	t.Helper()
	synctest.Wait()
	var seen []fnf.Event
	for _, x := range events(t, e, "t", name) {
		if x.Type == fnf.EventTaskSubmitted {
			seen = append(seen, x)
		}
	}
	if len(seen) <= n {
		t.Fatalf("no TaskSubmitted event %d yet", n)
	}
	var d struct{ TaskToken string }
	if err := json.Unmarshal([]byte(seen[n].EventDetail), &d); err != nil || d.TaskToken == "" {
		t.Fatalf("TaskSubmitted detail %s has no TaskToken", seen[n].EventDetail)
	}
	return d.TaskToken
}

func TestACustomCallbackTaskWaitsForReportTaskSucceeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", approvalFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "a"})
		token := submittedToken(t, e, "a", 0)
		ev := events(t, e, "t", "a")
		if !strings.Contains(ev[2].EventDetail, `"message":"`+token+`"`) {
			t.Errorf("TaskScheduled detail %s does not carry $Context.Current.TaskToken %s", ev[2].EventDetail, token)
		}
		time.Sleep(30 * time.Minute) // no CPU while it waits: the bubble's clock jumps
		if d, _ := e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "a"}); d.Status != fnf.StatusRunning {
			t.Fatalf("before the report: %s", d.Status)
		}
		if err := e.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: token, Output: `{"approved":true}`}); err != nil {
			t.Fatal(err)
		}
		d := waitEnd(t, e, "t", "a")
		if d.Status != fnf.StatusSucceeded || d.Output != `{"approved":true}` {
			t.Errorf("= %+v; want the report's output as the task's result", d)
		}
		err := e.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: token, Output: `{}`})
		apiErr(t, err, fnf.CodeTaskTokenNotExists, 400)
	})
}

func TestReportTaskFailedIsSeenByRetryAndCatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", approvalFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "r"})
		first := submittedToken(t, e, "r", 0)
		if err := e.ReportTaskFailed(context.Background(), fnf.ReportRequest{TaskToken: first, Error: "Approval.Busy", Cause: "later"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Second) // the Retry's interval
		second := submittedToken(t, e, "r", 1)
		if second == first {
			t.Error("the retry waits on the same token")
		}
		if err := e.ReportTaskFailed(context.Background(), fnf.ReportRequest{TaskToken: second, Error: "Approval.Refused", Cause: "no budget"}); err != nil {
			t.Fatal(err)
		}
		if d := waitEnd(t, e, "t", "r"); d.Status != fnf.StatusSucceeded || d.Output != `{"refused":true}` {
			t.Errorf("= %+v; want the Catch's path", d)
		}
		got := types(events(t, e, "t", "r"))
		want := "ExecutionStarted StepEntered:Ask TaskScheduled:Ask TaskSubmitted:Ask TaskFailed:Ask TaskScheduled:Ask TaskSubmitted:Ask TaskFailed:Ask StepExited:Ask StepEntered:Refused StepExited:Refused ExecutionSucceeded"
		if got != want {
			t.Errorf("events:\n%s\nwant\n%s", got, want)
		}
	})
}

func TestACallbackTaskTimesOutAndStopsWithItsExecution(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", approvalFlow))
		began := time.Now()
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "late"})
		d := waitEnd(t, e, "t", "late")
		if d.Status != fnf.StatusFailed || d.ErrorCode != CodeTimeout || time.Since(began) != time.Hour {
			t.Errorf("= %+v after %s; want FnF.Timeout after the task's hour", d, time.Since(began))
		}
		if ev := events(t, e, "t", "late"); ev[4].Type != fnf.EventTaskTimedOut {
			t.Errorf("event 5 = %s; want TaskTimedOut", ev[4].Type)
		}
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "stopped"})
		token := submittedToken(t, e, "stopped", 0)
		if _, err := e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "stopped", Error: "E", Cause: "C"}); err != nil {
			t.Fatal(err)
		}
		err := e.ReportTaskSucceeded(context.Background(), fnf.ReportRequest{TaskToken: token})
		apiErr(t, err, fnf.CodeTaskTokenNotExists, 400)
	})
}

func TestReportsWithABadTokenOrOutputAreRefused(t *testing.T) {
	e := NewExecutions(ExecutionsOptions{})
	ctx := context.Background()
	apiErr(t, e.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: "flowtui-unknown"}), fnf.CodeTaskTokenNotExists, 400)
	for _, bad := range []string{"", "two words", strings.Repeat("x", 1025), "tök"} {
		apiErr(t, e.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: bad}), fnf.CodeInvalidArgument, 400)
		apiErr(t, e.ReportTaskFailed(ctx, fnf.ReportRequest{TaskToken: bad}), fnf.CodeInvalidArgument, 400)
	}
	apiErr(t, e.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: "t", Output: "{"}), fnf.CodeInvalidArgument, 400)
	apiErr(t, e.ReportTaskFailed(ctx, fnf.ReportRequest{TaskToken: "t", Error: strings.Repeat("E", 129)}), fnf.CodeInvalidArgument, 400)
}

// A WaitForSystemCallback task's callback comes from the integrated service
// with its answer: locally, the mock's answer is the callback.
func TestASystemCallbackTaskCompletesWithItsMock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("Job", "- Type: Task\n  Name: Job\n  Action: ECS:RunCommand\n  TaskMode: WaitForSystemCallback\n  End: true")
		mocks := "Flows:\n  t:\n    TestCases:\n      Default: { Job: Done }\nMockedResponses:\n  Done: { \"0\": { Return: { exitCode: 0 } } }\n"
		e := newStd(t, ExecutionsOptions{}, mocks, standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "j"})
		if d := waitEnd(t, e, "t", "j"); d.Status != fnf.StatusSucceeded || d.Output != `{"exitCode":0}` {
			t.Errorf("= %+v", d)
		}
		if got := types(events(t, e, "t", "j")); !strings.Contains(got, "TaskScheduled:Job TaskSubmitted:Job TaskSucceeded:Job") {
			t.Errorf("events = %s", got)
		}
	})
}

// A test case that mocks a WaitForCustomCallback task answers it with the
// mock, as Step Functions Local answers a mocked .waitForTaskToken task
// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html):
// a Return is the callback's output, a Throw its failure, seen by Catch.
// The token is still issued (TaskSubmitted); nothing waits for a report.
func TestAMockedCustomCallbackTaskTakesItsMockAsTheCallback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mocks := "Flows:\n  t:\n    TestCases:\n      Yes: { Ask: Yes }\n      No: { Ask: No }\n" +
			"MockedResponses:\n  Yes: { \"0\": { Return: { approved: true } } }\n" +
			"  No: { \"0\": { Throw: { Code: Approval.Refused, Detail: not today } } }\n"
		e := newStd(t, ExecutionsOptions{}, mocks, standard("t", approvalFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "yes", TestCase: "Yes"})
		if d := waitEnd(t, e, "t", "yes"); d.Status != fnf.StatusSucceeded || d.Output != `{"approved":true}` {
			t.Errorf("mocked approval = %+v", d)
		}
		if got := types(events(t, e, "t", "yes")); !strings.Contains(got, "TaskScheduled:Ask TaskSubmitted:Ask TaskSucceeded:Ask") {
			t.Errorf("events = %s", got)
		}
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "no", TestCase: "No"})
		if d := waitEnd(t, e, "t", "no"); d.Status != fnf.StatusSucceeded || d.Output != `{"refused":true}` {
			t.Errorf("mocked refusal, caught = %+v", d)
		}
	})
}

// StartExecution's CallbackFnFTaskToken: a child execution ends its
// parent's callback task, with its output or its error.
func TestAChildExecutionCompletesItsParentsTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		child := strings.Replace(flow("W", "- Type: Wait\n  Name: W\n  Seconds: 60\n  End: true"), "Name: t", "Name: child", 1)
		e := newStd(t, ExecutionsOptions{}, "", standard("t", approvalFlow), standard("child", child))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "parent"})
		token := submittedToken(t, e, "parent", 0)
		startStd(t, e, fnf.StartRequest{FlowName: "child", ExecutionName: "c", Input: `{"from":"child"}`, CallbackFnFTaskToken: token})
		d := waitEnd(t, e, "t", "parent")
		if d.Status != fnf.StatusSucceeded || d.Output != `{"from":"child"}` {
			t.Errorf("parent = %+v; want the child's output", d)
		}
	})
}

// Express runs (StartSyncExecution) keep refusing callback tasks.
func TestASynchronousRunStillRefusesACallbackTask(t *testing.T) {
	_, err := (&Runner{}).Run(context.Background(), mustParse(t, approvalFlow), RunRequest{Flow: "t"})
	if err == nil || !strings.Contains(err.Error(), "StartExecution") {
		t.Errorf("err = %v; want the refusal pointing at StartExecution", err)
	}
}
