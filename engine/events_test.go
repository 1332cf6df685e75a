package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// The service stops an execution at 5,000 events:
// https://help.aliyun.com/en/document_detail/122093.html (Limits, "Maximum
// events per execution").

// selfLoop is a one-state Pass that goes to itself for ever.
var selfLoop = flow("Again", `
- Type: Pass
  Name: Again
  Next: Again`)

func TestALoopingFlowFailsAtTheEventLimit(t *testing.T) {
	res := run(t, nil, selfLoop, `{"a":1}`)
	wantError(t, res, fnf.StatusFailed, CodeEventLimit, `"Again"`, "5000 events")
	// ExecutionStarted, then two events per state: 2,499 states fit, and the
	// ExecutionFailed event is the 5,000th.
	if n := len(res.Trace); n != 2500 {
		t.Errorf("trace has %d steps; want 2,499 states and the one refused", n)
	}
	if last := res.Trace[len(res.Trace)-1]; !strings.Contains(last.Error, CodeEventLimit) {
		t.Errorf("last step %+v does not say where the limit was passed", last)
	}
}

func TestTheEventLimitIsNotCaughtOrRetried(t *testing.T) {
	src := flow("Par", `
- Type: Parallel
  Name: Par
  Retry:
    - Errors: [FnF.ALL]
      MaxAttempts: 3
  Catch:
    - Errors: [FnF.ALL]
      Next: Handled
  Branches:
    - StartAt: Again
      States:
        - Type: Pass
          Name: Again
          Next: Again
  End: true
- Type: Pass
  Name: Handled
  End: true`)
	res := run(t, nil, src, `{}`)
	wantError(t, res, fnf.StatusFailed, CodeEventLimit)
	for _, s := range res.Trace {
		if s.State == "Handled" || s.Attempt > 0 {
			t.Fatalf("the limit was caught or retried: step %+v", s)
		}
	}
}

// mapOver is a Map whose processor is one Pass state: each item costs an
// iteration entered and exited and a state entered and exited.
func mapOver(items int) (string, string) {
	src := flow("Each", `
- Type: Map
  Name: Each
  ItemsPath: $Input.items
  Processor:
    StartAt: P
    States:
      - Type: Pass
        Name: P
        OutputConstructor:
          ok: true
        End: true
  OutputConstructor:
    n.$: length($Output.Items)
  End: true`)
	list := strings.TrimSuffix(strings.Repeat("0,", items), ",")
	return src, fmt.Sprintf(`{"items":[%s]}`, list)
}

func TestMapIterationsCountAgainstTheEventLimit(t *testing.T) {
	// 1 + 2 (the Map) + 4 per item, and the end event: 1,249 items make
	// 5,000 events, one more passes the limit.
	src, in := mapOver(1249)
	wantOutput(t, run(t, nil, src, in), `{"n":1249}`)
	src, in = mapOver(1250)
	wantError(t, run(t, nil, src, in), fnf.StatusFailed, CodeEventLimit, `"`)
}

// parallelLoop is a Parallel of n branches, each one Pass state, that goes
// to itself for ever.
func parallelLoop(n int) string {
	var b strings.Builder
	b.WriteString("- Type: Parallel\n  Name: Par\n  Branches:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - StartAt: P%d\n      States:\n        - Type: Pass\n          Name: P%d\n          End: true\n", i, i)
	}
	// A constant output: the branches' outputs would otherwise nest deeper
	// on every pass and reach the 64 KiB limit first.
	b.WriteString("  OutputConstructor: { again: true }\n  Next: Par")
	return flow("Par", b.String())
}

func TestTheEventLimitStopsALoopThroughAParallelCountingItsBranches(t *testing.T) {
	// Each pass: the Parallel entered and exited (2), and per branch the
	// branch and its Pass entered and exited (4). After ExecutionStarted,
	// passes fit while 1 + passes·(2 + 4·branches) ≤ 4,999. Were branches
	// not counted, 833 and 49 passes would fit.
	for _, tt := range []struct{ branches, passes int }{
		{2, 499}, // 10 events a pass: 4,991 after 499
		{50, 24}, // 202 events a pass (50 is the most the service allows): 4,849 after 24
	} {
		res := run(t, nil, parallelLoop(tt.branches), `{}`)
		wantError(t, res, fnf.StatusFailed, CodeEventLimit, "5000 events")
		ok := 0
		for _, s := range stepsOf(res, "Par") {
			if s.Error == "" {
				ok++
			}
		}
		if ok != tt.passes {
			t.Errorf("%d branches: the Parallel completed %d times; want %d", tt.branches, ok, tt.passes)
		}
	}
}

// nestedFanOut maps over outer, an array of arrays; each iteration is a
// Parallel of two branches, each a Map over the iteration's array with a
// Pass per item. Everything runs at once: outer iterations, branches and
// inner iterations all spend from the one execution's count.
func nestedFanOut(outer [][]int) (string, string) {
	src := flow("Outer", `
- Type: Map
  Name: Outer
  ItemsPath: $Input.outer
  Processor:
    StartAt: Both
    States:
      - Type: Parallel
        Name: Both
        Branches:
          - StartAt: Left
            States:
              - Type: Map
                Name: Left
                ItemsPath: $Input
                Processor:
                  StartAt: L
                  States:
                    - Type: Pass
                      Name: L
                      End: true
                End: true
          - StartAt: Right
            States:
              - Type: Map
                Name: Right
                ItemsPath: $Input
                Processor:
                  StartAt: R
                  States:
                    - Type: Pass
                      Name: R
                      End: true
                End: true
        End: true
  OutputConstructor:
    n.$: length($Output.Items)
  End: true`)
	in, _ := json.Marshal(map[string]any{"outer": outer})
	return src, string(in)
}

func TestNestedMapAndParallelEventsCountTowardOneExecutionTotal(t *testing.T) {
	// 1 + 2 (Outer) + per outer item: 2 (iteration) + 2 (Both) + per branch
	// [2 (branch) + 2 (inner Map) + 4 per inner item], and the end event:
	// 4 + Σ(12 + 8k). Five outer items of 123, 123, 123, 124 and 124 make
	// 4 + 5·12 + 8·617 = 5,000 events; one more inner item passes the limit.
	items := func(ks ...int) [][]int {
		out := make([][]int, len(ks))
		for i, k := range ks {
			out[i] = make([]int, k)
		}
		return out
	}
	src, in := nestedFanOut(items(123, 123, 123, 124, 124))
	wantOutput(t, run(t, nil, src, in), `{"n":5}`)
	src, in = nestedFanOut(items(123, 123, 123, 124, 125))
	wantError(t, run(t, nil, src, in), fnf.StatusFailed, CodeEventLimit, "5000 events")
}
