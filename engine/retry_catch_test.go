package engine

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// retryMocks: a Task named Call that throws per the test case.
const retryMocks = `
Flows:
  t:
    TestCases:
      AlwaysA: { Call: AlwaysA }
      AlwaysB: { Call: AlwaysB }
      TwiceThenOK: { Call: TwiceThenOK }
      OnceThenOK: { Call: OnceThenOK }
MockedResponses:
  AlwaysA: { "0": { Throw: { Code: Err.A, Detail: a failed } } }
  AlwaysB: { "0": { Throw: { Code: Err.B, Detail: b failed } } }
  TwiceThenOK:
    "0-1": { Throw: { Code: Err.A, Detail: not yet } }
    "2": { Return: { ok: true } }
  OnceThenOK:
    "0": { Throw: { Code: Err.A, Detail: not yet } }
    "1": { Return: { ok: true } }
`

// callFlow is a Task named Call with the given Retry/Catch lines; the Catch
// targets Handler and Other, when named, are Pass states.
func callFlow(rules string) string {
	states := `
- Type: Task
  Name: Call
  Action: ECS:DescribeInstances
` + rules + `
  End: true`
	for _, name := range []string{"Handler", "Other"} {
		if strings.Contains(rules, "Next: "+name) {
			states += "\n- Type: Pass\n  Name: " + name + "\n  End: true"
		}
	}
	return flow("Call", states)
}

func runRetry(t *testing.T, rules, testCase string) *Result {
	t.Helper()
	return runCase(t, &Runner{Mocks: mustMocks(t, retryMocks)}, callFlow(rules), `{"id":7}`, testCase)
}

func attempts(res *Result, state string) []int {
	var out []int
	for _, s := range res.Trace {
		if s.State == state {
			out = append(out, s.Attempt)
		}
	}
	return out
}

func elapsed(res *Result) time.Duration { return res.Stopped.Sub(res.Started) }

func TestRetryFirstMatchingRuleWinsAndKeepsItsOwnCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runRetry(t, `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 1
      IntervalSeconds: 2
    - Errors: [FnF.ALL]
      MaxAttempts: 5
      IntervalSeconds: 10`, "AlwaysA")
		wantError(t, res, fnf.StatusFailed, "Err.A")
		if got := attempts(res, "Call"); len(got) != 2 || elapsed(res) != 2*time.Second {
			t.Errorf("attempts %v in %v; want 2 attempts in 2s (the FnF.ALL rule never applies)", got, elapsed(res))
		}
	})
}

func TestRetryFnFAllMatchesAnyCode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runRetry(t, `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 9
    - Errors: [FnF.ALL]
      MaxAttempts: 2
      IntervalSeconds: 3`, "AlwaysB")
		wantError(t, res, fnf.StatusFailed, "Err.B", "b failed")
		if got := attempts(res, "Call"); len(got) != 3 || elapsed(res) != 6*time.Second {
			t.Errorf("attempts %v in %v; want 3 in 6s", got, elapsed(res))
		}
	})
}

func TestRetryWaitsIntervalTimesBackoffRateCappedByMaxBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runRetry(t, `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 5
      IntervalSeconds: 1
      BackoffRate: 2
      MaxBackoffSeconds: 5`, "AlwaysA")
		wantError(t, res, fnf.StatusFailed, "Err.A")
		// Waits 1, 2, 4, then 8 and 16 capped at 5: 17 s over 6 attempts.
		got := attempts(res, "Call")
		if len(got) != 6 || elapsed(res) != 17*time.Second {
			t.Errorf("attempts %v in %v; want 6 in 17s", got, elapsed(res))
		}
		var starts []time.Duration
		for _, s := range res.Trace {
			starts = append(starts, s.Start.Sub(res.Started))
		}
		want := []time.Duration{0, 1 * time.Second, 3 * time.Second, 7 * time.Second, 12 * time.Second, 17 * time.Second}
		for i := range want {
			if i >= len(starts) || starts[i] != want[i] {
				t.Fatalf("attempts started at %v; want %v", starts, want)
			}
		}
	})
}

func TestRetryWithoutBackoffRateWaitsTheSameInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runRetry(t, `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 3
      IntervalSeconds: 4`, "AlwaysA")
		if elapsed(res) != 12*time.Second {
			t.Errorf("3 retries of 4 s took %v; want 12s", elapsed(res))
		}
	})
}

func TestRetryConsumesMockAttemptRangesInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runRetry(t, `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 2
      IntervalSeconds: 1
  OutputConstructor:
    ok.$: $Output.ok
    retries.$: $Context.Current.RetryCount`, "TwiceThenOK")
		wantOutput(t, res, `{"ok":true,"retries":2}`)
		if got := attempts(res, "Call"); len(got) != 3 || got[0] != 0 || got[1] != 1 || got[2] != 2 {
			t.Errorf("attempts %v; want [0 1 2]", got)
		}
		for i, s := range res.Trace {
			if (i < 2) != (s.Error != "") {
				t.Errorf("step %d error %q; want errors on attempts 0 and 1 only", i, s.Error)
			}
		}
	})
}

func TestCatchFirstMatchingRuleChoosesTheNextState(t *testing.T) {
	rules := `  Catch:
    - Errors: [Err.A]
      Next: Handler
    - Errors: [FnF.ALL]
      Next: Other`
	wantStates(t, runRetry(t, rules, "AlwaysA"), "Call", "Handler")
	wantStates(t, runRetry(t, rules, "AlwaysB"), "Call", "Other")
}

func TestCatchOutputConstructorSeesTheErrorAndBuildsTheNextInput(t *testing.T) {
	res := runRetry(t, `  Catch:
    - Errors: [FnF.ALL]
      Next: Handler
      OutputConstructor:
        id.$: $Input.id
        code.$: $Context.Current.Error.Code
        why.$: $Context.Current.Error.Detail`, "AlwaysB")
	wantOutput(t, res, `{"id":7,"code":"Err.B","why":"b failed"}`)
}

func TestCatchWithoutOutputConstructorPassesAnEmptyObject(t *testing.T) {
	res := runRetry(t, `  Catch:
    - Errors: [Err.B]
      Next: Handler`, "AlwaysB")
	wantOutput(t, res, `{}`)
}

func TestCatchThatDoesNotMatchLetsTheErrorEndTheRun(t *testing.T) {
	res := runRetry(t, `  Catch:
    - Errors: [Err.Other]
      Next: Handler`, "AlwaysA")
	wantError(t, res, fnf.StatusFailed, "Err.A", "a failed")
}

func TestRetryIsEvaluatedBeforeCatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rules := `  Retry:
    - Errors: [Err.A]
      MaxAttempts: 1
      IntervalSeconds: 1
  Catch:
    - Errors: [FnF.ALL]
      Next: Handler
      OutputConstructor:
        caught: true`
		// One retry suffices: the Catch never sees the error.
		res := runRetry(t, rules, "OnceThenOK")
		wantOutput(t, res, `{"ok":true}`)
		wantStates(t, res, "Call", "Call")
		// Retries exhausted: then the Catch takes the error.
		res = runRetry(t, rules, "AlwaysA")
		wantOutput(t, res, `{"caught":true}`)
		wantStates(t, res, "Call", "Call", "Handler")
		if elapsed(res) != time.Second {
			t.Errorf("took %v; want the 1 s retry before the catch", elapsed(res))
		}
	})
}
