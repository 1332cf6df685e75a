package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/flowtui/flowtui/fnf"
)

// Mock attempts follow Step Functions Local, whose mock file flowtui reads: one
// count per mocked state per execution, advanced by every invocation, whether
// it comes from the state's own Retry, a retry of an enclosing Parallel or Map,
// another Map iteration or another pass around a loop:
// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
// (MockedResponses: the field names are the invocation attempts, "0", "1-2").
// CloudFlow's own Retry, whose recovery these mocks let a user see locally:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/error-handling

// onceThenOK fails the first invocation of Charge and answers the second.
const onceThenOK = `
Flows:
  t:
    TestCases:
      Default: { Charge: OnceThenOK }
MockedResponses:
  OnceThenOK:
    "0": { Throw: { Code: Card.Busy, Detail: try again } }
    "1": { Return: { charged: true } }
`

// parallelRetry is a Parallel with Retry whose one branch is the Task Charge.
var parallelRetry = flow("Par", `
- Type: Parallel
  Name: Par
  Retry:
    - Errors: [Card.Busy]
      MaxAttempts: 1
      IntervalSeconds: 1
  Branches:
    - StartAt: Charge
      States:
        - Type: Task
          Name: Charge
          Action: ECS:DescribeInstances
          End: true
  End: true`)

// mapRetry is a Map with Retry over $Input.items whose processor is the Task
// Charge; at most one iteration runs at a time when serial is set.
func mapRetry(serial bool) string {
	conc := ""
	if serial {
		conc = "\n  MaxConcuccency: 1"
	}
	return flow("Each", `
- Type: Map
  Name: Each
  ItemsPath: $Input.items`+conc+`
  Retry:
    - Errors: [Card.Busy]
      MaxAttempts: 1
      IntervalSeconds: 1
  Processor:
    StartAt: Charge
    States:
      - Type: Task
        Name: Charge
        Action: ECS:DescribeInstances
        End: true
  End: true`)
}

// stepsOf lists the trace steps of one state, in order.
func stepsOf(res *Result, state string) []fnf.Step {
	var out []fnf.Step
	for _, s := range res.Trace {
		if s.State == state {
			out = append(out, s)
		}
	}
	return out
}

// wantFailThenSucceed checks a state's two trace steps: attempt 0 failed with
// code, attempt 1 succeeded.
func wantFailThenSucceed(t *testing.T, res *Result, state, code string) {
	t.Helper()
	steps := stepsOf(res, state)
	if len(steps) != 2 {
		t.Fatalf("%s has %d steps in the trace; want 2 (a failed attempt, then a good one): %+v", state, len(steps), res.Trace)
	}
	if steps[0].Attempt != 0 || !strings.Contains(steps[0].Error, code) {
		t.Errorf("%s first step: attempt %d, error %q; want attempt 0 failing with %s", state, steps[0].Attempt, steps[0].Error, code)
	}
	if steps[1].Attempt != 1 || steps[1].Error != "" {
		t.Errorf("%s second step: attempt %d, error %q; want attempt 1 succeeding", state, steps[1].Attempt, steps[1].Error)
	}
}

func TestARetriedParallelRecoversWhenItsTasksMockFailsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := run(t, &Runner{Mocks: mustMocks(t, onceThenOK)}, parallelRetry, `{}`)
		wantOutput(t, res, `{"Branch0":{"charged":true}}`)
		wantFailThenSucceed(t, res, "Par", "Card.Busy")
		// The Task is entered once per Parallel attempt; its own retry count
		// starts again each time, the mock's count does not.
		charge := stepsOf(res, "Par/Branch0/Charge")
		if len(charge) != 2 || charge[0].Error == "" || charge[1].Error != "" || charge[1].Attempt != 0 {
			t.Errorf("Charge steps %+v; want a failure, then a success on the second Parallel attempt", charge)
		}
	})
}

func TestARetriedMapRecoversWhenItsTasksMockFailsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := run(t, &Runner{Mocks: mustMocks(t, onceThenOK)}, mapRetry(false), `{"items":[1]}`)
		wantOutput(t, res, `{"Items":[{"charged":true}]}`)
		wantFailThenSucceed(t, res, "Each", "Card.Busy")
		if n := len(stepsOf(res, "Each[0]/Charge")); n != 2 {
			t.Errorf("Charge ran %d times; want 2 (once per Map attempt)", n)
		}
	})
}

func TestMapIterationsShareTheirTasksMockCount(t *testing.T) {
	// Step Functions Local's rule: the count is per state per execution, so
	// the second iteration takes attempt 1, and so on; with MaxConcuccency 1
	// the iterations take them in item order.
	m := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Charge: Sequence }
MockedResponses:
  Sequence:
    "0": { Return: { n: 0 } }
    "1": { Return: { n: 1 } }
    "2": { Return: { n: 2 } }
`)
	res := run(t, &Runner{Mocks: m}, mapRetry(true), `{"items":["a","b","c","d"]}`)
	// Attempts past the last key take the last one.
	wantOutput(t, res, `{"Items":[{"n":0},{"n":1},{"n":2},{"n":2}]}`)
}

func TestAStateEnteredAgainInALoopTakesTheNextMockAttempt(t *testing.T) {
	// A polling loop: without a count per execution the Task would answer
	// "pending" for ever and the run would end at the event limit.
	m := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Poll: PendingThenDone }
MockedResponses:
  PendingThenDone:
    "0-1": { Return: { status: pending } }
    "2": { Return: { status: done } }
`)
	src := flow("Poll", `
- Type: Task
  Name: Poll
  Action: ECS:DescribeInstances
  Next: Ready
- Type: Choice
  Name: Ready
  Branches:
    - Condition: $Input.status == "pending"
      Next: Poll
  Default: Done
- Type: Succeed
  Name: Done`)
	res := run(t, &Runner{Mocks: m}, src, `{}`)
	wantOutput(t, res, `{"status":"done"}`)
	if n := len(stepsOf(res, "Poll")); n != 3 {
		t.Errorf("Poll ran %d times; want 3", n)
	}
}

func TestConcurrentMapIterationsTakeEachMockAttemptOnce(t *testing.T) {
	// Iterations running at once take distinct attempts: every response
	// is used exactly once, whatever the order (run with -race).
	const n = 40
	var mocks strings.Builder
	mocks.WriteString("Flows:\n  t:\n    TestCases:\n      Default: { Charge: Numbered }\nMockedResponses:\n  Numbered:\n")
	items := make([]string, n)
	for i := range n {
		fmt.Fprintf(&mocks, "    \"%d\": { Return: %d }\n", i, i)
		items[i] = "0"
	}
	res := run(t, &Runner{Mocks: mustMocks(t, mocks.String())}, mapRetry(false), `{"items":[`+strings.Join(items, ",")+`]}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status = %s (%s: %s); want Succeeded", res.Status, res.ErrorCode, res.ErrorMessage)
	}
	var out struct{ Items []int }
	if err := json.Unmarshal([]byte(res.Output), &out); err != nil {
		t.Fatal(err)
	}
	sort.Ints(out.Items)
	for i, v := range out.Items {
		if v != i {
			t.Fatalf("answers %v; want each of 0..%d once", out.Items, n-1)
		}
	}
	if len(out.Items) != n {
		t.Fatalf("%d answers; want %d", len(out.Items), n)
	}
}

func TestEachExecutionCountsMockAttemptsFromZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &Runner{Mocks: mustMocks(t, onceThenOK)}
		for i := range 2 {
			res := run(t, r, parallelRetry, `{}`)
			wantOutput(t, res, `{"Branch0":{"charged":true}}`)
			if n := len(stepsOf(res, "Par")); n != 2 {
				t.Errorf("run %d: Par ran %d times; want 2 (each run starts at attempt 0)", i, n)
			}
		}
	})
}
