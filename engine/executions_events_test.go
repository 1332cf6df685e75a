package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// The event types are those of the GetExecutionHistory page
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/getexecutionhistory):
// StepEntered, StepStarted, StepSucceeded, StepFailed, StepExited,
// BranchEntered, BranchExited, IterationEntered, IterationExited,
// TaskScheduled, TaskStarted, TaskSubmitted, TaskSubmitFailed,
// TaskSucceeded, TaskFailed, TaskTimedOut, ExecutionStarted,
// ExecutionStopped, ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut.
// Its Limit is 1–999 (default 60) and NextToken is opaque.

var eventsFlow = flow("Prepare", `
- Type: Pass
  Name: Prepare
  Next: Charge
- Type: Task
  Name: Charge
  Action: ECS:DescribeInstances
  Parameters:
    RegionId: cn-hangzhou
  Next: Both
- Type: Parallel
  Name: Both
  Branches:
    - StartAt: Left
      States:
        - Type: Pass
          Name: Left
          End: true
  Next: Each
- Type: Map
  Name: Each
  ItemsPath: $Input.Branch0.items
  MaxConcuccency: 1
  Processor:
    StartAt: One
    States:
      - Type: Pass
        Name: One
        End: true
  End: true`)

const eventsMocks = "Flows:\n  t:\n    TestCases:\n      Default: { Charge: Ok }\nMockedResponses:\n  Ok: { \"0\": { Return: { items: [1, 2] } } }\n"

func TestEventsAreTheServicesVocabularyInOrderWithTheirIds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, eventsMocks, standard("t", eventsFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "ev", Input: `{"k":"v"}`})
		waitEnd(t, e, "t", "ev")
		ev := events(t, e, "t", "ev")
		want := "ExecutionStarted StepEntered:Prepare StepExited:Prepare StepEntered:Charge TaskScheduled:Charge TaskStarted:Charge TaskSucceeded:Charge StepExited:Charge " +
			"StepEntered:Both BranchEntered:Both StepEntered:Left StepExited:Left BranchExited:Both StepExited:Both " +
			"StepEntered:Each IterationEntered:Each StepEntered:One StepExited:One IterationExited:Each IterationEntered:Each StepEntered:One StepExited:One IterationExited:Each StepExited:Each " +
			"ExecutionSucceeded"
		if got := types(ev); got != want {
			t.Errorf("events:\n%s\nwant\n%s", got, want)
		}
		byID := map[int64]fnf.Event{}
		for i, x := range ev {
			byID[x.EventId] = x
			if x.EventId != int64(i+1) || x.Time != fnf.FormatTime(time.Now()) || !json.Valid([]byte(x.EventDetail)) {
				t.Errorf("event %d = %+v; want EventId %d, the time, JSON detail", i, x, i+1)
			}
		}
		// Every ending event points at the event that began it.
		begins := map[string]string{"StepExited": "StepEntered", "TaskStarted": "TaskScheduled", "TaskSucceeded": "TaskScheduled",
			"BranchExited": "BranchEntered", "IterationExited": "IterationEntered", "ExecutionSucceeded": "ExecutionStarted"}
		for _, x := range ev {
			if b, ok := begins[x.Type]; ok {
				if s := byID[x.ScheduleEventId]; s.Type != b || s.StepName != x.StepName {
					t.Errorf("%s %s: ScheduleEventId %d is %s %s; want its %s", x.Type, x.StepName, x.ScheduleEventId, s.Type, s.StepName, b)
				}
			}
		}
		if ev[0].EventDetail != `{"Input":{"k":"v"}}` || ev[6].EventDetail != `{"Output":{"items":[1,2]}}` ||
			!strings.Contains(ev[4].EventDetail, `"Resource":"ECS:DescribeInstances"`) {
			t.Errorf("details: %s | %s | %s", ev[0].EventDetail, ev[6].EventDetail, ev[4].EventDetail)
		}
		rec, _ := e.find("t", "ev")
		if int64(len(ev)) != rec.counted {
			t.Errorf("%d events, %d counted against the limit; want them equal", len(ev), rec.counted)
		}
	})
}

// The per-state trace of a synchronous run and the events of the same flow
// as a Standard execution tell the same story: one StepEntered per trace
// step (a flow without Retry), in the same order.
func TestTheTraceAndTheEventsAgree(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, eventsMocks)}
	res, err := r.Run(context.Background(), mustParse(t, eventsFlow), RunRequest{Flow: "t", ExecutionName: "e", Input: `{}`})
	if err != nil {
		t.Fatal(err)
	}
	var traced []string
	for _, s := range res.Trace {
		traced = append(traced, s.State[strings.LastIndex(s.State, "/")+1:])
	}
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, eventsMocks, standard("t", eventsFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "ev"})
		waitEnd(t, e, "t", "ev")
		var exited []string
		for _, x := range events(t, e, "t", "ev") {
			if x.Type == fnf.EventStepExited || x.Type == fnf.EventStepFailed {
				exited = append(exited, x.StepName)
			}
		}
		// The trace records a state when it ends, as StepExited does.
		if fmt.Sprint(exited) != fmt.Sprint(traced) {
			t.Errorf("events' steps %v; trace %v", exited, traced)
		}
	})
}

func TestAFailedTaskRetriedAndCaughtIsInTheHistory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("T", `
- Type: Task
  Name: T
  Action: ECS:DescribeInstances
  Retry:
    - Errors: [Boom]
      MaxAttempts: 1
      IntervalSeconds: 5
  Catch:
    - Errors: [FnF.ALL]
      Next: Done
  End: true
- Type: Pass
  Name: Done
  End: true`)
		mocks := "Flows:\n  t:\n    TestCases:\n      Default: { T: Fails }\nMockedResponses:\n  Fails: { \"0-9\": { Throw: { Code: Boom, Detail: no } } }\n"
		e := newStd(t, ExecutionsOptions{}, mocks, standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "f"})
		if d := waitEnd(t, e, "t", "f"); d.Status != fnf.StatusSucceeded {
			t.Fatalf("%+v", d)
		}
		ev := events(t, e, "t", "f")
		want := "ExecutionStarted StepEntered:T TaskScheduled:T TaskStarted:T TaskFailed:T TaskScheduled:T TaskStarted:T TaskFailed:T StepExited:T StepEntered:Done StepExited:Done ExecutionSucceeded"
		if got := types(ev); got != want {
			t.Errorf("events:\n%s\nwant\n%s", got, want)
		}
		if ev[4].EventDetail != `{"Error":"Boom","Cause":"no"}` {
			t.Errorf("TaskFailed detail = %s", ev[4].EventDetail)
		}
	})
}

func TestGetExecutionHistoryPages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, eventsMocks, standard("t", eventsFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "p"})
		waitEnd(t, e, "t", "p")
		all := events(t, e, "t", "p")
		var paged []fnf.Event
		req := fnf.HistoryRequest{FlowName: "t", ExecutionName: "p", Limit: 4}
		for {
			page, err := e.GetExecutionHistory(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Events) > 4 {
				t.Fatalf("page of %d", len(page.Events))
			}
			paged = append(paged, page.Events...)
			if page.NextToken == "" {
				break
			}
			req.NextToken = page.NextToken
		}
		if len(paged) != len(all) || paged[len(paged)-1] != all[len(all)-1] {
			t.Errorf("paged %d events; want %d", len(paged), len(all))
		}
		page, _ := e.GetExecutionHistory(context.Background(), fnf.HistoryRequest{FlowName: "t", ExecutionName: "p"})
		if len(page.Events) != min(len(all), fnf.DefaultListLimit) {
			t.Errorf("default page = %d events", len(page.Events))
		}
		for _, bad := range []fnf.HistoryRequest{{Limit: 1000}, {Limit: -1}, {NextToken: "x"}, {NextToken: pageToken(listToken, 1)}, {NextToken: pageToken(historyToken, 999)}} {
			bad.FlowName, bad.ExecutionName = "t", "p"
			_, err := e.GetExecutionHistory(context.Background(), bad)
			apiErr(t, err, fnf.CodeInvalidArgument, 400)
		}
		_, err := e.GetExecutionHistory(context.Background(), fnf.HistoryRequest{FlowName: "t", ExecutionName: "q"})
		apiErr(t, err, fnf.CodeExecutionNotExists, 404)
	})
}

// A distributed Map's iterations are child executions: they count their
// own events, and the Map's execution records none of theirs.
func TestADistributedMapRecordsNoEventOfItsChildren(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
  ProcessorConfig:
    Mode: Distributed
    ExecutionMode: Express
  Processor:
    StartAt: One
    States:
      - Type: Pass
        Name: One
        End: true
  End: true`)
		e := newStd(t, ExecutionsOptions{}, "", standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "d", Input: `{"items":[1,2,3]}`})
		if d := waitEnd(t, e, "t", "d"); d.Status != fnf.StatusSucceeded {
			t.Fatalf("%+v", d)
		}
		ev := events(t, e, "t", "d")
		rec, _ := e.find("t", "d")
		if got := types(ev); got != "ExecutionStarted StepEntered:M StepExited:M ExecutionSucceeded" || int64(len(ev)) != rec.counted {
			t.Errorf("events = %s, %d counted", got, rec.counted)
		}
	})
}

// A legacy flow's history: its steps, its task's attempts, its parallel
// branches and its foreach iterations, as counted.
func TestALegacyFlowsHistoryHoldsItsBranchesAndIterations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := legacy(`
- type: parallel
  name: both
  branches:
    - steps:
      - type: pass
        name: a
- type: foreach
  name: each
  maxConcurrency: 1
  iterationMapping:
    collection: $.names
    item: name
  steps:
    - type: task
      name: up
      resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/up`)
		mocks := "Flows:\n  t: {TestCases: {Default: {up: Up}}}\nMockedResponses:\n  Up: {\"0-9\": {Return: {ok: true}}}\n"
		e := newStd(t, ExecutionsOptions{}, mocks, standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "l", Input: `{"names":["x","y"]}`})
		if d := waitEnd(t, e, "t", "l"); d.Status != fnf.StatusSucceeded {
			t.Fatalf("%+v", d)
		}
		ev := events(t, e, "t", "l")
		want := "ExecutionStarted StepEntered:both BranchEntered:both StepEntered:a StepExited:a BranchExited:both StepExited:both " +
			"StepEntered:each IterationEntered:each StepEntered:up TaskScheduled:up TaskStarted:up TaskSucceeded:up StepExited:up IterationExited:each " +
			"IterationEntered:each StepEntered:up TaskScheduled:up TaskStarted:up TaskSucceeded:up StepExited:up IterationExited:each StepExited:each ExecutionSucceeded"
		rec, _ := e.find("t", "l")
		if got := types(ev); got != want || int64(len(ev)) != rec.counted {
			t.Errorf("events (%d counted):\n%s\nwant\n%s", rec.counted, got, want)
		}
	})
}

// Branches and iterations run at once, so their events interleave: a state
// entered in one points at its BranchEntered or IterationEntered (the event
// that scheduled it), which tells a reader where it ran; a state at the top
// points at nothing.
func TestANestedStatePointsAtItsBranchOrIteration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("M", `
- Type: Map
  Name: M
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
  End: true`)
		e := newStd(t, ExecutionsOptions{}, "", standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "n", Input: `{"items":[1,2,3]}`})
		if d := waitEnd(t, e, "t", "n"); d.Status != fnf.StatusSucceeded {
			t.Fatalf("%+v", d)
		}
		byID := map[int64]fnf.Event{}
		perIteration := map[int64][]string{}
		for _, ev := range events(t, e, "t", "n") {
			byID[ev.EventId] = ev
			if ev.Type != fnf.EventStepEntered {
				continue
			}
			if ev.StepName == "M" {
				if ev.ScheduleEventId != 0 {
					t.Errorf("the top state M points at event %d", ev.ScheduleEventId)
				}
				continue
			}
			if s := byID[ev.ScheduleEventId]; s.Type != fnf.EventIterationEntered {
				t.Fatalf("%s points at %+v, not its IterationEntered", ev.StepName, s)
			}
			perIteration[ev.ScheduleEventId] = append(perIteration[ev.ScheduleEventId], ev.StepName)
		}
		if len(perIteration) != 3 {
			t.Fatalf("states in %d iterations: %v", len(perIteration), perIteration)
		}
		for id, names := range perIteration {
			if strings.Join(names, " ") != "P Q" {
				t.Errorf("iteration %d ran %v", id, names)
			}
		}
	})
}
