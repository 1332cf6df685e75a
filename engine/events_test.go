package engine

import (
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
