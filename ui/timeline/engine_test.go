package timeline

import (
	"context"
	"testing"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

const nestedFlow = `Type: StateMachine
Name: nested
SpecVersion: v1
StartAt: Start
States:
  - Type: Pass
    Name: Start
    Next: Each
  - Type: Parallel
    Name: Fan
    Branches:
      - StartAt: A
        States:
          - Type: Pass
            Name: A
            End: true
      - StartAt: B
        States:
          - Type: Pass
            Name: B
            Next: B2
          - Type: Pass
            Name: B2
            End: true
    Next: Stop
  - Type: Map
    Name: Each
    ItemsPath: $Input.items
    Processor:
      StartAt: P
      States:
        - Type: Pass
          Name: P
          Next: Q
        - Type: Pass
          Name: Q
          End: true
    Next: Fan
  - Type: Fail
    Name: Stop
    Code: Demo.Stop
    Detail: stopped on purpose
`

// The engine's own history, whatever order its branches and iterations
// run in, reads as the same nested rows.
func TestTheEnginesEventsNest(t *testing.T) {
	flow := fnf.Flow{Name: "nested", ExecutionMode: fnf.ModeStandard, Definition: nestedFlow}
	c, err := engine.CompileFlow(flow)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.NewExecutions(engine.ExecutionsOptions{Find: func(string) (*engine.Compiled, error) { return c, nil }})
	defer e.Close(context.Background(), "the test ended")
	ctx := context.Background()
	want := `Start Pass #1 succeeded
Each Map #1 succeeded
  iteration 0  #1 succeeded
    P Pass #1 succeeded
    Q Pass #1 succeeded
  iteration 1  #1 succeeded
    P Pass #1 succeeded
    Q Pass #1 succeeded
  iteration 2  #1 succeeded
    P Pass #1 succeeded
    Q Pass #1 succeeded
Fan Parallel #1 succeeded
  branch 0  #1 succeeded
    A Pass #1 succeeded
  branch 1  #1 succeeded
    B Pass #1 succeeded
    B2 Pass #1 succeeded
Stop Fail #1 failed Demo.Stop ✗
`
	bad := 0
	defer func() { t.Logf("%d of 20 misplaced", bad) }()
	for i := range 20 {
		name := "n" + itoa(i)
		if _, err := e.StartExecution(ctx, fnf.StartRequest{FlowName: "nested", ExecutionName: name, Input: `{"items":[1,2,3]}`}); err != nil {
			t.Fatal(err)
		}
		d, err := e.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: "nested", ExecutionName: name, Wait: 10 * time.Second})
		if err != nil || d.Status != fnf.StatusFailed {
			t.Fatalf("%v %v", d.Status, err)
		}
		ev, err := fnf.AllEvents(ctx, e, fnf.HistoryRequest{FlowName: "nested", ExecutionName: name})
		if err != nil {
			t.Fatal(err)
		}
		tl := FromEvents(ev, ScopesOf(nestedFlow))
		var v View
		v.Sync(tl, 10)
		got := dump(tl, &v)
		if got != want {
			t.Errorf("run %d misplaced a state", i)
			bad++
			t.Logf("run %d:\n%s", i, got)
		}
	}
}
