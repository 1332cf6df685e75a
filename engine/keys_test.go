package engine

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// Every key of a definition is one its documentation lists; any other is
// refused where it is written, naming the nearest known key, or, for fields
// of older drafts and of modes the engine does not run, naming why. The
// documented sets, page by page:
//
//   - Pass: https://www.alibabacloud.com/help/en/serverless-workflow/latest/pass-pass
//   - Task: https://www.alibabacloud.com/help/en/serverless-workflow/latest/task-task
//   - Choice: https://www.alibabacloud.com/help/en/serverless-workflow/latest/select-choice
//   - Parallel: https://www.alibabacloud.com/help/en/serverless-workflow/latest/parallel
//   - Map inline: https://www.alibabacloud.com/help/en/serverless-workflow/latest/inline-mode
//   - Map distributed: https://www.alibabacloud.com/help/en/serverless-workflow/latest/distributed-mode
//   - Wait: https://www.alibabacloud.com/help/en/serverless-workflow/latest/wait-wait
//   - Succeed and Fail: https://www.alibabacloud.com/help/en/serverless-workflow/latest/fail
//   - Retry and Catch: https://www.alibabacloud.com/help/en/serverless-workflow/latest/error-handling
//   - GlobalConstructor on any state: https://www.alibabacloud.com/help/en/serverless-workflow/latest/global-io
func TestEveryKeyNotDocumentedIsRefusedWhereItIsWritten(t *testing.T) {
	const processor = "\n  Processor:\n    StartAt: P\n    States:\n      - Type: Pass\n        Name: P\n        End: true"
	tests := []struct {
		name      string
		src       string
		line, col int
		state     string
		msg       []string
	}{
		{"a typo in a state's key", flow("W", "- Type: Wait\n  Name: W\n  Secnds: 3\n  End: true"),
			8, 5, "W", []string{`unknown key "Secnds" in a Wait state`, `did you mean "Seconds"?`}},
		{"a key of another type", flow("P", "- Type: Pass\n  Name: P\n  Action: ECS:DescribeInstances\n  End: true"),
			8, 5, "P", []string{`unknown key "Action" in a Pass state`}},
		{"a key far from any", flow("P", "- Type: Succeed\n  Name: P\n  Result: {}"),
			8, 5, "P", []string{`unknown key "Result"`, "which takes", "GlobalConstructor"}},
		{"a Wait until a date, from an older draft", flow("W", "- Type: Wait\n  Name: W\n  UntilDateTime: 2024-01-01T00:00:00Z\n  End: true"),
			8, 5, "W", []string{"UntilDateTime", "older draft", "Seconds"}},
		{"a Wait until a timestamp", flow("W", "- Type: Wait\n  Name: W\n  Timestamp: 2024-01-01T00:00:00Z\n  End: true"),
			8, 5, "W", []string{"Timestamp", "older draft", "Seconds"}},
		{"a Choice branch key", flow("C", "- Type: Choice\n  Name: C\n  Branches:\n    - Condtion: $Input.a\n      Next: D\n  Default: D\n- Type: Succeed\n  Name: D"),
			9, 9, "C", []string{`unknown key "Condtion" in a Choice branch`, `did you mean "Condition"?`}},
		{"a Parallel branch key", flow("P", "- Type: Parallel\n  Name: P\n  End: true\n  Branches:\n    - StartAt: A\n      Comment: x\n      States:\n        - Type: Pass\n          Name: A\n          End: true"),
			11, 9, "P", []string{`unknown key "Comment" in a Parallel branch`}},
		{"a Processor key", flow("M", "- Type: Map\n  Name: M\n  End: true\n  ItemsPath: $Input.x"+processor+"\n    StatAt: P"),
			16, 7, "M", []string{`unknown key "StatAt" in a Map's Processor`, `did you mean "StartAt"?`}},
		{"a Retry key", flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  End: true\n  Retry:\n    - Errors: [FnF.ALL]\n      MaxAttempt: 3"),
			12, 9, "T", []string{`unknown key "MaxAttempt" in a Retry rule`, `did you mean "MaxAttempts"?`}},
		{"a Retry key of the 2023 draft", flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  End: true\n  Retry:\n    - Errors: [FnF.ALL]\n      FixedBackoff: 3"),
			12, 9, "T", []string{"FixedBackoff", "2023 draft"}},
		{"a Catch key", flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  End: true\n  Catch:\n    - Errors: [FnF.ALL]\n      Next: T\n      ResultPath: $.error"),
			13, 9, "T", []string{`unknown key "ResultPath" in a Catch rule`}},
		{"a key of the definition", "Type: StateMachine\nName: t\nStartsAt: A\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n",
			3, 1, "", []string{`unknown key "StartsAt" in the definition`, `did you mean "StartAt"?`}},
		{"a computed Task Timeout", flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  Timeout.$: $Input.timeout\n  End: true"),
			9, 5, "T", []string{"Timeout.$", "not supported by the local engine"}},
		{"a lower-case key", flow("P", "- Type: Pass\n  Name: P\n  end: true"),
			8, 5, "P", []string{`did you mean "End"?`}},
	}
	for _, field := range []string{"ItemReader", "ResultWriter"} {
		tests = append(tests, struct {
			name      string
			src       string
			line, col int
			state     string
			msg       []string
		}{"Map distributed " + field, flow("M", "- Type: Map\n  Name: M\n  End: true\n  ItemsPath: $Input.x\n  "+field+": {}"+processor),
			10, 5, "M", []string{field, "OSS bucket", "local runs cannot reach"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded; want the key refused\n%s", tt.src)
			}
			for _, p := range problems(t, err) {
				if p.Pos == (Pos{tt.line, tt.col}) && p.State == tt.state {
					for _, m := range tt.msg {
						if !strings.Contains(p.Msg, m) {
							t.Errorf("problem %q does not mention %q", p, m)
						}
					}
					return
				}
			}
			t.Fatalf("no problem at %d:%d for state %q; got:\n%v", tt.line, tt.col, tt.state, err)
		})
	}
}

// The older draft's Wait is refused by naming its field, not as a Wait
// without Seconds.
func TestAWaitUntilADateIsNotReportedAsMissingSeconds(t *testing.T) {
	_, err := Parse("flow.yaml", []byte(flow("W", "- Type: Wait\n  Name: W\n  UntilDateTime: 2024-01-01T00:00:00Z\n  End: true")))
	if err == nil || strings.Contains(err.Error(), "needs Seconds") || !strings.Contains(err.Error(), "UntilDateTime") {
		t.Errorf("error = %v; want UntilDateTime named, and no 'needs Seconds'", err)
	}
}

// Every documented key, written once, is accepted.
func TestEveryDocumentedKeyIsAccepted(t *testing.T) {
	src := flow("P", `
- Type: Pass
  Name: P
  Description: d
  InputConstructor: { a: 1 }
  OutputConstructor: { b: 2 }
  GlobalConstructor: { c: 3 }
  Next: T
- Type: Task
  Name: T
  Action: ECS:DescribeInstances
  TaskMode: RequestComplete
  Parameters: { x: 1 }
  Timeout: 30
  Retry:
    - Errors: [FnF.ALL]
      Description: again
      MaxAttempts: 1
      IntervalSeconds: 1
      BackoffRate: 2
      MaxBackoffSeconds: 3
  Catch:
    - Errors: [FnF.ALL]
      Description: caught
      OutputConstructor: { e: 1 }
      Next: F
  Next: C
- Type: Choice
  Name: C
  Branches:
    - Condition: $Input.a == 1
      Next: Par
  Default: W
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: B
      States:
        - Type: Pass
          Name: B
          End: true
  Next: M
- Type: Map
  Name: M
  ItemsPath: $Input.items
  MaxConcuccency: 2
  Processor:
    StartAt: I
    States:
      - Type: Pass
        Name: I
        End: true
  Next: W
- Type: Wait
  Name: W
  Seconds: 1
  Next: W2
- Type: Wait
  Name: W2
  Seconds.$: $Input.s
  Next: S
- Type: Succeed
  Name: S
- Type: Fail
  Name: F
  Code: E
  Detail: d`)
	src = strings.Replace(src, "Type: StateMachine\n", "Type: StateMachine\nDescription: all of it\n", 1)
	if _, err := Parse("flow.yaml", []byte(src)); err != nil {
		t.Fatalf("Parse: %v", err)
	}
}

func TestAFlowDocumentKeyNotOfDescribeFlowIsRefused(t *testing.T) {
	doc := strings.Replace(docYAML, "ExecutionMode: Express", "ExecutionMod: Express", 1)
	e := loadFlow("doc.yaml", []byte(doc))
	if e.err == nil || !strings.Contains(e.err.Error(), `doc.yaml:3:1: unknown key "ExecutionMod" in a flow document; did you mean "ExecutionMode"?`) {
		t.Errorf("err = %v; want the key refused at 3:1 with the nearest one", e.err)
	}
	if e := loadFlow("doc.yaml", []byte(docYAML)); e.err != nil {
		t.Errorf("docYAML: %v", e.err)
	}
}

// What flowtui describe --json writes loads back: every field of fnf.Flow is
// a key of a flow document.
func TestEveryFieldDescribeWritesIsAFlowDocumentKey(t *testing.T) {
	typ := reflect.TypeFor[fnf.Flow]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if !slices.Contains(flowDocumentKeys.known, name) {
			t.Errorf("fnf.Flow field %s (JSON %q) is not a flow document key", typ.Field(i).Name, name)
		}
	}
}

// A misspelled required key is one problem, the misspelling with its "did
// you mean": not a second one saying the key is missing, which would come
// first in a listing and hide the hint.
func TestAMisspelledRequiredKeyIsOneProblem(t *testing.T) {
	for _, c := range []struct{ states, typo, want string }{
		{"- Type: Wait\n  Name: W\n  Secnds: 5\n  End: true", "Secnds", "Seconds"},
		{"- Type: Task\n  Name: W\n  Acton: ECS:DescribeInstances\n  End: true", "Acton", "Action"},
		{"- Type: Map\n  Name: W\n  ItemPath: $Input.Items\n  Processor: {StartAt: P, States: [{Type: Pass, Name: P, End: true}]}\n  End: true", "ItemPath", "ItemsPath"},
		{"- Type: Choice\n  Name: W\n  Branches:\n    - Conditon: $Input.a == 1\n      Next: W\n  Default: W", "Conditon", "Condition"},
	} {
		_, err := Parse("flow.yaml", []byte(flow("W", c.states)))
		ps := problems(t, err)
		if len(ps) != 1 || !strings.Contains(ps[0].Msg, c.typo) || !strings.Contains(ps[0].Msg, `did you mean "`+c.want+`"`) {
			t.Errorf("%s: problems %v; want one, naming %s and %s", c.typo, ps, c.typo, c.want)
		}
	}
}
