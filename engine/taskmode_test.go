package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// Task modes, as https://www.alibabacloud.com/help/en/serverless-workflow/latest/task-task
// and https://www.alibabacloud.com/help/en/serverless-workflow/latest/service-integration-pattern
// document them: RequestComplete (the default), WaitForSystemCallback and
// WaitForCustomCallback; the last two wait for a callback, which only a
// Standard execution can.

func callbackTask(mode string) string {
	return flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  TaskMode: "+mode+"\n  End: true")
}

func TestAnUnknownTaskModeIsRefusedListingTheValidOnes(t *testing.T) {
	_, err := Parse("flow.yaml", []byte(callbackTask("WaitForCallback")))
	want := `flow.yaml:9:15: state "T": TaskMode "WaitForCallback" is not a task mode; use one of RequestComplete, WaitForSystemCallback, WaitForCustomCallback`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestAnExpressFlowRefusesACallbackTaskAtLoad(t *testing.T) {
	for _, mode := range []string{ModeWaitForSystemCallback, ModeWaitForCustomCallback} {
		e := loadFlow("f.yaml", []byte(callbackTask(mode)))
		want := `f.yaml:6:5: state "T": TaskMode ` + mode + ` waits for a callback; an Express flow allows only RequestComplete`
		if e.err == nil || !strings.Contains(e.err.Error(), want) {
			t.Errorf("%s: err = %v\nwant %s", mode, e.err, want)
		}
	}
	if e := loadFlow("f.yaml", []byte(callbackTask(ModeRequestComplete))); e.err != nil {
		t.Errorf("RequestComplete: %v", e.err)
	}
}

func TestACallbackTaskIsNotRunLocally(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, "Flows:\n  t:\n    TestCases:\n      Default: { T: R }\nMockedResponses:\n  R: { \"0\": { Return: { ok: true } } }\n")}
	res, err := r.Run(context.Background(), mustParse(t, callbackTask(ModeWaitForCustomCallback)), RunRequest{Flow: "t", ExecutionName: "e:1"})
	if err == nil || res != nil || !strings.Contains(err.Error(), `state "T": TaskMode WaitForCustomCallback waits for a callback`) ||
		!strings.Contains(err.Error(), "nothing was run") {
		t.Errorf("Run = %v, %v; want a refusal naming the state and its TaskMode", res, err)
	}
	wantOutput(t, run(t, r, callbackTask(ModeRequestComplete), `{}`), `{"ok":true}`)
}

func TestAStandardFlowWithACallbackTaskIsRefusedNamingTheTaskMode(t *testing.T) {
	doc := `Name: approve
ExecutionMode: Standard
Definition: |
  Type: StateMachine
  Name: approve
  SpecVersion: v1
  StartAt: Ask
  States:
    - Type: Task
      Name: Ask
      Action: ECS:DescribeInstances
      TaskMode: WaitForCustomCallback
      End: true
`
	l := newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"approve.yaml": doc})})
	_, err := l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "approve"})
	ae := apiErr(t, err, fnf.CodeActionNotSupported, 400)
	if !strings.Contains(ae.Message, `state "Ask": TaskMode WaitForCustomCallback waits for a callback`) {
		t.Errorf("Message = %q; want the callback task named", ae.Message)
	}
}

// CallbackTasks names the WaitForCustomCallback tasks of a definition,
// those in Parallel branches and Map processors too; a task whose callback
// the integrated service sends (WaitForSystemCallback) is not one.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/service-integration-pattern
func TestCallbackTasksNamesTheTasksThatWaitForAReport(t *testing.T) {
	def := `Type: StateMachine
Name: f
SpecVersion: v1
StartAt: Ask
States:
  - Type: Task
    Name: Ask
    Action: MNS:SendMessage
    TaskMode: WaitForCustomCallback
    Parameters:
      resourceArn: acs:mns:cn-hangzhou:123456789:/queues/q/messages
      message.$: $Context.Current.TaskToken
    Next: Both
  - Type: Parallel
    Name: Both
    Branches:
      - StartAt: Inner
        States:
          - Type: Task
            Name: Inner
            Action: MNS:SendMessage
            TaskMode: WaitForCustomCallback
            Parameters:
              resourceArn: acs:mns:cn-hangzhou:123456789:/queues/q/messages
              message.$: $Context.Current.TaskToken
            End: true
      - StartAt: Sys
        States:
          - Type: Task
            Name: Sys
            Action: MNS:SendMessage
            TaskMode: WaitForSystemCallback
            Parameters:
              resourceArn: acs:mns:cn-hangzhou:123456789:/queues/q/messages
              message.$: $Context.Current.TaskToken
            End: true
    End: true
`
	if got := CallbackTasks(def); !slices.Equal(got, []string{"Ask", "Inner"}) {
		t.Errorf("CallbackTasks = %q, want [Ask Inner]", got)
	}
	if got := CallbackTasks("Type: StateMachine\nName: f\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n"); got != nil {
		t.Errorf("a flow without callbacks: %q", got)
	}
}
