package engine

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestTraceRecordsEveryStepWithNestedNames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("Prep", `
- Type: Pass
  Name: Prep
  InputConstructor:
    items: [10, 20, 30]
  Next: Par
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: Nap
      States:
        - Type: Wait
          Name: Nap
          Seconds: 2
          End: true
    - StartAt: Each
      States:
        - Type: Map
          Name: Each
          ItemsPath: $Input.items
          MaxConcuccency: 1
          Processor:
            StartAt: Half
            States:
              - Type: Pass
                Name: Half
                OutputConstructor:
                  v.$: $Input / 2
                End: true
          End: true
  Next: Done
- Type: Succeed
  Name: Done`)
		res := run(t, nil, src, `{"x":1}`)
		if res.Status != fnf.StatusSucceeded {
			t.Fatalf("Status %s: %s", res.Status, res.ErrorMessage)
		}
		byName := map[string]fnf.Step{}
		for _, s := range res.Trace {
			byName[s.State] = s
		}
		for _, name := range []string{"Prep", "Par", "Par/Branch0/Nap", "Par/Branch1/Each", "Par/Branch1/Each[0]/Half", "Par/Branch1/Each[2]/Half", "Done"} {
			if _, ok := byName[name]; !ok {
				t.Errorf("no step %q in %v", name, stateNames(res))
			}
		}
		if len(res.Trace) != 8 {
			t.Errorf("%d steps %v; want 8", len(res.Trace), stateNames(res))
		}
		prep := byName["Prep"]
		if prep.Type != TypePass || prep.Input != `{"items":[10,20,30]}` || prep.Output != `{"items":[10,20,30]}` || prep.Error != "" {
			t.Errorf("Prep step %+v; want its constructed input and output as JSON", prep)
		}
		half := byName["Par/Branch1/Each[2]/Half"]
		if half.Type != TypePass || half.Input != `30` || half.Output != `{"v":15}` {
			t.Errorf("Each[2]/Half step %+v; want input 30, output {\"v\":15}", half)
		}
		nap, par := byName["Par/Branch0/Nap"], byName["Par"]
		if nap.Type != TypeWait || nap.Duration != 2*time.Second || nap.Start != res.Started {
			t.Errorf("Nap step %+v; want a 2 s Wait starting with the run", nap)
		}
		if par.Type != TypeParallel || par.Duration != 2*time.Second || par.Attempt != 0 ||
			!strings.Contains(par.Output, `"Branch1":{"Items":[{"v":5},{"v":10},{"v":15}]}`) {
			t.Errorf("Par step %+v; want a 2 s Parallel with both branch outputs", par)
		}
		if d := byName["Done"]; d.Type != TypeSucceed || d.Start != res.Started.Add(2*time.Second) {
			t.Errorf("Done step %+v; want it to start after the Parallel", d)
		}
	})
}

func TestTraceStepOfAFailedStateCarriesTheError(t *testing.T) {
	src := flow("Calc", `
- Type: Pass
  Name: Calc
  OutputConstructor:
    x.$: fromBase64($Input.s)
  End: true`)
	res := run(t, nil, src, `{"s":"%%%"}`)
	wantError(t, res, fnf.StatusFailed, CodeExpression, `"Calc"`, "OutputConstructor")
	if len(res.Trace) != 1 {
		t.Fatalf("trace %v; want one step", stateNames(res))
	}
	s := res.Trace[0]
	if s.State != "Calc" || s.Input != `{"s":"%%%"}` || s.Output != "" || !strings.Contains(s.Error, CodeExpression) {
		t.Errorf("step %+v; want the input, no output and the error", s)
	}
}

func TestTraceOfAStateReachedThroughCatchShowsTheCatchOutput(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, retryMocks)}
	src := callFlow(`  Catch:
    - Errors: [FnF.ALL]
      Next: Handler
      OutputConstructor:
        why.$: $Context.Current.Error.Code`)
	res := runCase(t, r, src, `{}`, "AlwaysA")
	wantStates(t, res, "Call", "Handler")
	if c := res.Trace[0]; c.Type != TypeTask || !strings.Contains(c.Error, "Err.A") || c.Output != "" {
		t.Errorf("Call step %+v; want the Task's error", c)
	}
	if h := res.Trace[1]; h.Input != `{"why":"Err.A"}` {
		t.Errorf("Handler step input %s; want the Catch OutputConstructor's value", h.Input)
	}
}
