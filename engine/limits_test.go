package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestStateOutputOver64KiBFailsWithDataLimitExceeded(t *testing.T) {
	src := flow("Grow", `
- Type: Pass
  Name: Grow
  OutputConstructor:
    a.$: $Input.s
    b.$: $Input.s
  End: true`)
	big := strings.Repeat("x", 40<<10) // 40 KiB in, 80 KiB out
	res := run(t, nil, src, `{"s":"`+big+`"}`)
	wantError(t, res, fnf.StatusFailed, CodeDataLimit, `"Grow"`, "64 KiB")
}

func TestExecutionInputOver64KiBFailsWithDataLimitExceeded(t *testing.T) {
	src := flow("Forward", `
- Type: Pass
  Name: Forward
  End: true`)
	big := strings.Repeat("x", 70<<10)
	res := run(t, nil, src, `{"s":"`+big+`"}`)
	wantError(t, res, fnf.StatusFailed, CodeDataLimit, `"Forward"`, "input")
}

func TestStateDataJustUnder64KiBIsFine(t *testing.T) {
	src := flow("Copy", `
- Type: Pass
  Name: Copy
  OutputConstructor:
    s.$: $Input.s
  End: true`)
	s := strings.Repeat("y", MaxStateBytes-len(`{"s":""}`))
	res := run(t, nil, src, `{"s":"`+s+`"}`)
	if res.Status != fnf.StatusSucceeded || len(res.Output) != MaxStateBytes {
		t.Errorf("Status %s (%s), output %d bytes; want Succeeded with exactly 64 KiB", res.Status, res.ErrorMessage, len(res.Output))
	}
}

// endless waits 20 s in a loop that never ends.
var endless = flow("Nap", `
- Type: Wait
  Name: Nap
  Seconds: 20
  Next: Again
- Type: Choice
  Name: Again
  Branches:
    - Condition: $Input.stop == true
      Next: Done
  Default: Nap
- Type: Succeed
  Name: Done`)

func TestExpressRunStopsAtExactlyFiveMinutesTimedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := run(t, nil, endless, `{}`)
		wantError(t, res, fnf.StatusTimedOut, CodeTimeout, "5-minute")
		if d := elapsed(res); d != 5*time.Minute {
			t.Errorf("stopped after %v; want 5m", d)
		}
	})
}

func TestRunnerLimitOverridesTheExpressLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := run(t, &Runner{Limit: 90 * time.Second}, endless, `{}`)
		wantError(t, res, fnf.StatusTimedOut, CodeTimeout, "1m30s")
		if d := elapsed(res); d != 90*time.Second {
			t.Errorf("stopped after %v; want 1m30s", d)
		}
	})
}

func TestTheTimeLimitIsNotCaughtOrRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("Par", `
- Type: Parallel
  Name: Par
  Retry:
    - Errors: [FnF.ALL]
      MaxAttempts: 5
  Catch:
    - Errors: [FnF.ALL]
      Next: Handled
  Branches:
    - StartAt: Nap
      States:
        - Type: Wait
          Name: Nap
          Seconds: 20
          End: true
  End: true
- Type: Pass
  Name: Handled
  End: true`)
		res := run(t, &Runner{Limit: 10 * time.Second}, src, `{}`)
		wantError(t, res, fnf.StatusTimedOut, CodeTimeout)
		if d := elapsed(res); d != 10*time.Second {
			t.Errorf("stopped after %v; want 10s", d)
		}
	})
}

func TestCancellingTheContextStopsARun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(30 * time.Second)
			cancel()
		}()
		res, err := (&Runner{}).Run(ctx, mustParse(t, endless), RunRequest{Flow: "t", Input: `{}`})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run error = %v; want context.Canceled", err)
		}
		if res == nil || res.Status == fnf.StatusSucceeded || elapsed(res) != 30*time.Second {
			t.Fatalf("result %+v; want a run stopped after 30s", res)
		}
	})
}

func TestContextNamesTheExecutionAndTheCurrentState(t *testing.T) {
	src := flow("First", `
- Type: Pass
  Name: First
  InputConstructor:
    replaced: true
  OutputConstructor:
    exec.$: $Context.Execution.Name
    execInput.$: $Context.Execution.Input
    state.$: $Context.Current.Name
    current.$: $Context.Current.Input
  End: true`)
	wantOutput(t, run(t, nil, src, `{"a":1}`), `{
		"exec": "e1:0000",
		"execInput": {"a":1},
		"state": "First",
		"current": {"replaced": true}
	}`)
}

func TestContextCurrentSeenByAConstructorIsASnapshot(t *testing.T) {
	// Found by FuzzRunExpression: values built from $Context.Current used to
	// contain themselves once the engine set Current.Input or Output.
	src := flow("S", `
- Type: Pass
  Name: S
  InputConstructor:
    cur.$: $Context.Current
  OutputConstructor:
    name.$: $Context.Current.Output.cur.Name
    seen.$: $Context.Current
  GlobalConstructor:
    g.$: $Context.Current
  Next: T
- Type: Pass
  Name: T
  OutputConstructor:
    g.$: $Global.g.Output.cur.Name
  End: true`)
	res := run(t, nil, src, `{"a":1}`)
	wantOutput(t, res, `{"g":"S"}`)
	cur := `{"cur":{"Input":{"a":1},"Name":"S"}}`
	if want := `{"name":"S","seen":{"Input":` + cur + `,"Name":"S","Output":` + cur + `}}`; res.Trace[0].Output != want {
		t.Errorf("S output %s\nwant       %s", res.Trace[0].Output, want)
	}
}

func TestGlobalConstructorMergesIntoGlobalForLaterStates(t *testing.T) {
	src := flow("One", `
- Type: Pass
  Name: One
  GlobalConstructor:
    user.$: $Input.user
    step: 1
  Next: Two
- Type: Pass
  Name: Two
  GlobalConstructor:
    step: 2
    out.$: $Output.user
  Next: Three
- Type: Pass
  Name: Three
  OutputConstructor:
    global.$: $Global
  End: true`)
	wantOutput(t, run(t, nil, src, `{"user":"tom"}`), `{"global":{"user":"tom","step":2,"out":"tom"}}`)
}

func TestGlobalIsEmptyBeforeAnyGlobalConstructor(t *testing.T) {
	src := flow("P", `
- Type: Pass
  Name: P
  OutputConstructor:
    g.$: $Global
    missing.$: $Global.nothing
  End: true`)
	wantOutput(t, run(t, nil, src, `{}`), `{"g":{},"missing":null}`)
}

// A Wait out of every range says both: 1–300 s, and 1–20 s in an Express
// flow, so that fixing it to 300 is not met by a second refusal unawares.
func TestAWaitOutOfRangeNamesBothRanges(t *testing.T) {
	_, err := Parse("flow.yaml", []byte(flow("W", "- Type: Wait\n  Name: W\n  Seconds: 500\n  End: true")))
	if err == nil || !strings.Contains(err.Error(), "from 1 to 300 (1 to 20 in an Express flow)") {
		t.Errorf("a 500 s Wait: %v", err)
	}
}
