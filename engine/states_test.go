package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestPassForwardsItsInputToTheNextState(t *testing.T) {
	src := flow("A", `
- Type: Pass
  Name: A
  Next: B
- Type: Pass
  Name: B
  End: true`)
	res := run(t, nil, src, `{"x":1}`)
	wantOutput(t, res, `{"x":1}`)
	wantStates(t, res, "A", "B")
	if res.Trace[1].Input != `{"x":1}` {
		t.Errorf("B's input = %s; want A's output", res.Trace[1].Input)
	}
}

func TestPassConstructorsKeepPlainKeysLiteralAndEvaluateDollarKeys(t *testing.T) {
	src := flow("A", `
- Type: Pass
  Name: A
  InputConstructor:
    a.$: $Input.x + 1
    literal: $Input.x
  OutputConstructor:
    fromInput.$: $Input.a
    stillLiteral: $Input.a
    nested:
      deep.$: $Input.literal
      list: [1, "two"]
  End: true`)
	wantOutput(t, run(t, nil, src, `{"x":1}`), `{
		"fromInput": 2,
		"stillLiteral": "$Input.a",
		"nested": {"deep": "$Input.x", "list": [1, "two"]}
	}`)
}

func TestOutputConstructorSeesTheStateInputAndOutput(t *testing.T) {
	src := flow("A", `
- Type: Pass
  Name: A
  InputConstructor:
    v: 7
  OutputConstructor:
    in.$: $Input.v
    out.$: $Output.v
    original.$: $Context.Execution.Input.orig
  End: true`)
	wantOutput(t, run(t, nil, src, `{"orig":"o"}`), `{"in":7,"out":7,"original":"o"}`)
}

const choiceFlow = `
- Type: Choice
  Name: Route
  Branches:
    - Condition: $Input.n > 10
      Next: Big
    - Condition: $Input.n > 5
      Next: Medium
    - Condition: $Input.tag == ` + "`vip`" + ` || $Input.tag in ["gold", "silver"]
      Next: Special
    - Condition: '!($Input.n >= 0)'
      Next: Negative
  Default: Small
- Type: Pass
  Name: Big
  End: true
- Type: Pass
  Name: Medium
  End: true
- Type: Pass
  Name: Special
  End: true
- Type: Pass
  Name: Negative
  End: true
- Type: Pass
  Name: Small
  End: true`

func TestChoiceTakesTheFirstMatchingBranchElseDefault(t *testing.T) {
	src := flow("Route", choiceFlow)
	tests := []struct{ input, via string }{
		{`{"n":20}`, "Big"}, // matches branches 0 and 1: the first wins
		{`{"n":7}`, "Medium"},
		{`{"n":1,"tag":"vip"}`, "Special"},
		{`{"n":1,"tag":"silver"}`, "Special"},
		{`{"n":-3}`, "Negative"},
		{`{"n":1,"tag":"bronze"}`, "Small"},
	}
	for _, tt := range tests {
		res := run(t, nil, src, tt.input)
		wantOutput(t, res, tt.input)
		wantStates(t, res, "Route", tt.via)
	}
}

func TestChoiceWithNoMatchAndNoDefaultFailsWithNoChoiceMatched(t *testing.T) {
	src := flow("Route", `
- Type: Choice
  Name: Route
  Branches:
    - Condition: $Input.n == 1
      Next: One
- Type: Pass
  Name: One
  End: true`)
	wantError(t, run(t, nil, src, `{"n":2}`), fnf.StatusFailed, CodeNoChoiceMatched, `"Route"`)
}

func TestChoiceConditionThatIsNotBooleanFailsWithExpressionError(t *testing.T) {
	src := flow("Route", `
- Type: Choice
  Name: Route
  Branches:
    - Condition: $Input.n
      Next: One
  Default: One
- Type: Pass
  Name: One
  End: true`)
	wantError(t, run(t, nil, src, `{"n":2}`), fnf.StatusFailed, CodeExpression, `"Route"`)
}

func TestWaitSecondsTakesExactlyThatVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", `
- Type: Wait
  Name: W
  Seconds: 3
  Next: P
- Type: Pass
  Name: P
  End: true`)
		res := run(t, nil, src, `{"a":1}`)
		wantOutput(t, res, `{"a":1}`)
		if d := res.Stopped.Sub(res.Started); d != 3*time.Second {
			t.Errorf("run took %v; want 3s", d)
		}
		if res.Trace[0].Duration != 3*time.Second {
			t.Errorf("Wait step Duration = %v; want 3s", res.Trace[0].Duration)
		}
	})
}

func TestWaitSecondsExpressionTakesItsValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", `
- Type: Wait
  Name: W
  Seconds.$: $Input.delay * 2
  End: true`)
		res := run(t, nil, src, `{"delay":2.5}`)
		wantOutput(t, res, `{"delay":2.5}`)
		if d := res.Stopped.Sub(res.Started); d != 5*time.Second {
			t.Errorf("run took %v; want 5s", d)
		}
	})
}

func TestWaitSecondsExpressionOutsideOneToTwentyFails(t *testing.T) {
	src := flow("W", `
- Type: Wait
  Name: W
  Seconds.$: $Input.delay
  End: true`)
	for _, input := range []string{`{"delay":0}`, `{"delay":21}`, `{"delay":-1}`, `{"delay":"5"}`, `{}`} {
		res := run(t, nil, src, input)
		wantError(t, res, fnf.StatusFailed, CodeExpression, `"W"`, "1–20")
	}
}

func TestSucceedEndsTheFlowWithItsInput(t *testing.T) {
	src := flow("Route", `
- Type: Choice
  Name: Route
  Branches:
    - Condition: $Input.done
      Next: Done
  Default: More
- Type: Succeed
  Name: Done
- Type: Pass
  Name: More
  End: true`)
	res := run(t, nil, src, `{"done":true}`)
	wantOutput(t, res, `{"done":true}`)
	wantStates(t, res, "Route", "Done")
}

func TestSucceedInsideAParallelBranchEndsOnlyThatBranch(t *testing.T) {
	src := flow("Par", `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: Stop
      States:
        - Type: Succeed
          Name: Stop
    - StartAt: Mark
      States:
        - Type: Pass
          Name: Mark
          OutputConstructor:
            b: 1
          End: true
  Next: After
- Type: Pass
  Name: After
  OutputConstructor:
    reached: true
    first.$: $Input.Branch0
  End: true`)
	wantOutput(t, run(t, nil, src, `{"v":1}`), `{"reached":true,"first":{"v":1}}`)
}

func TestFailStateCodeAndDetailBecomeTheExecutionError(t *testing.T) {
	src := flow("F", `
- Type: Fail
  Name: F
  Code: Order.Rejected
  Detail: the order is over the limit`)
	res := run(t, nil, src, `{}`)
	wantError(t, res, fnf.StatusFailed, "Order.Rejected")
	if res.ErrorMessage != "the order is over the limit" {
		t.Errorf("ErrorMessage = %q; want the Fail state's Detail", res.ErrorMessage)
	}
	if len(res.Trace) != 1 || res.Trace[0].Error == "" {
		t.Errorf("trace = %+v; want one step carrying the error", res.Trace)
	}
}

func TestFailStateWithoutDetailShowsJustItsCodeInTheTrace(t *testing.T) {
	res := run(t, nil, caseE, `{}`)
	if got := res.Trace[len(res.Trace)-1].Error; got != "customBizCode" {
		t.Errorf("trace error %q; want just the code", got)
	}
}
