package engine

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestParallelOutputsBranchesInDeclarationOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Branch 0 finishes last: the order of the output does not follow.
		src := flow("Par", `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: Slow
      States:
        - Type: Wait
          Name: Slow
          Seconds: 3
          Next: SlowDone
        - Type: Pass
          Name: SlowDone
          OutputConstructor: { who: slow }
          End: true
    - StartAt: Fast
      States:
        - Type: Pass
          Name: Fast
          OutputConstructor: { who: fast }
          End: true
    - StartAt: Echo
      States:
        - Type: Pass
          Name: Echo
          End: true
  End: true`)
		res := run(t, nil, src, `{"v":1}`)
		wantOutput(t, res, `{"Branch0":{"who":"slow"},"Branch1":{"who":"fast"},"Branch2":{"v":1}}`)
		if d := res.Stopped.Sub(res.Started); d != 3*time.Second {
			t.Errorf("run took %v; want 3s (branches run at once)", d)
		}
	})
}

const failingBranch = `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: Long
      States:
        - Type: Wait
          Name: Long
          Seconds: 10
          End: true
    - StartAt: Boom
      States:
        - Type: Fail
          Name: Boom
          Code: Branch.Broke
          Detail: branch 1 broke`

func TestFailingParallelBranchFailsTheParallelWithItsCode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := run(t, nil, flow("Par", failingBranch+"\n  End: true"), `{}`)
		wantError(t, res, fnf.StatusFailed, "Branch.Broke", "branch 1 broke")
		if d := res.Stopped.Sub(res.Started); d != 0 {
			t.Errorf("run took %v; want the other branch stopped at once", d)
		}
	})
}

func TestFailingParallelBranchCanBeCaught(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("Par", failingBranch+`
  Catch:
    - Errors: [Branch.Broke]
      Next: Recover
      OutputConstructor:
        code.$: $Context.Current.Error.Code
  End: true
- Type: Pass
  Name: Recover
  End: true`)
		wantOutput(t, run(t, nil, src, `{}`), `{"code":"Branch.Broke"}`)
	})
}

func TestParallelRetryRunsEveryBranchAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The second branch fails, after a second, the first time only ($Global
		// remembers it).
		src := flow("Par", `
- Type: Parallel
  Name: Par
  Retry:
    - Errors: [Flaky]
      MaxAttempts: 2
      IntervalSeconds: 5
  Branches:
    - StartAt: Steady
      States:
        - Type: Pass
          Name: Steady
          OutputConstructor: { steady: true }
          End: true
    - StartAt: Seen
      States:
        - Type: Choice
          Name: Seen
          Branches:
            - Condition: $Global.failedOnce == true
              Next: Ok
          Default: Remember
        - Type: Pass
          Name: Remember
          GlobalConstructor: { failedOnce: true }
          Next: Nap
        - Type: Wait
          Name: Nap
          Seconds: 1
          Next: Flake
        - Type: Fail
          Name: Flake
          Code: Flaky
        - Type: Pass
          Name: Ok
          OutputConstructor: { ok: true }
          End: true
  End: true`)
		res := run(t, nil, src, `{}`)
		wantOutput(t, res, `{"Branch0":{"steady":true},"Branch1":{"ok":true}}`)
		if d := res.Stopped.Sub(res.Started); d != 6*time.Second {
			t.Errorf("run took %v; want 1 s of Nap and one 5 s retry interval", d)
		}
		var attempts []int
		steady := 0
		for _, s := range res.Trace {
			switch s.State {
			case "Par":
				attempts = append(attempts, s.Attempt)
			case "Par/Branch0/Steady":
				steady++
			}
		}
		if len(attempts) != 2 || attempts[0] != 0 || attempts[1] != 1 || steady != 2 {
			t.Errorf("Par attempts %v, Steady ran %d times; want attempts [0 1] and Steady twice", attempts, steady)
		}
	})
}

func TestMapKeepsItemOrderWhenIterationsFinishOutOfOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  Processor:
    StartAt: Nap
    States:
      - Type: Wait
        Name: Nap
        Seconds.$: $Input.wait
        Next: Tag
      - Type: Pass
        Name: Tag
        OutputConstructor:
          id.$: $Input.id
          done.$: $Context.Current.Name
        End: true
  End: true`)
		res := run(t, nil, src, `{"items":[{"id":0,"wait":5},{"id":1,"wait":1},{"id":2,"wait":3},{"id":3,"wait":2}]}`)
		wantOutput(t, res, `{"Items":[{"id":0,"done":"Tag"},{"id":1,"done":"Tag"},{"id":2,"done":"Tag"},{"id":3,"done":"Tag"}]}`)
		// The trace follows completion: item 1 finishes first.
		var tags []string
		for _, s := range res.Trace {
			if strings.HasSuffix(s.State, "/Tag") {
				tags = append(tags, s.State)
			}
		}
		want := []string{"M[1]/Tag", "M[3]/Tag", "M[2]/Tag", "M[0]/Tag"}
		if strings.Join(tags, " ") != strings.Join(want, " ") {
			t.Errorf("Tag steps finished in order %v; want %v", tags, want)
		}
	})
}

func TestMapHonoursMaxConcuccency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  MaxConcuccency: 2
  Processor:
    StartAt: Nap
    States:
      - Type: Wait
        Name: Nap
        Seconds: 1
        End: true
  End: true`)
		res := run(t, nil, src, `{"items":[1,2,3,4,5,6]}`)
		wantOutput(t, res, `{"Items":[1,2,3,4,5,6]}`)
		if d := res.Stopped.Sub(res.Started); d != 3*time.Second {
			t.Errorf("6 items of 1 s, 2 at a time, took %v; want 3s", d)
		}
	})
}

func TestMapOverAnEmptyListOutputsNoItems(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  Processor:
    StartAt: P
    States:
      - Type: Pass
        Name: P
        End: true
  End: true`)
	wantOutput(t, run(t, nil, src, `{"items":[]}`), `{"Items":[]}`)
}

func TestMapItemsPathThatIsNotAnArrayFailsWithExpressionError(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  Processor:
    StartAt: P
    States:
      - Type: Pass
        Name: P
        End: true
  End: true`)
	for _, input := range []string{`{"items":{"a":1}}`, `{"items":"abc"}`, `{}`} {
		wantError(t, run(t, nil, src, input), fnf.StatusFailed, CodeExpression, `"M"`, "not an array")
	}
}

func TestMapIterationFailureFailsTheMap(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  Processor:
    StartAt: Check
    States:
      - Type: Choice
        Name: Check
        Branches:
          - Condition: $Input > 2
            Next: TooBig
        Default: Fine
      - Type: Fail
        Name: TooBig
        Code: Item.TooBig
      - Type: Pass
        Name: Fine
        End: true
  End: true`)
	wantError(t, run(t, nil, src, `{"items":[1,2,3]}`), fnf.StatusFailed, "Item.TooBig")
}
