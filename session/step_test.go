package session

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// A follow driven step by step shows the execution running between steps,
// each a short long-poll, never more than one DescribeExecution a second,
// and reads only the events it has not read yet.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestStepsShowAnExecutionAdvanceThenItsEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
			Script: func(fnf.StartRequest) sessiontest.Script {
				return sessiontest.Script{Runs: 7 * time.Second, Output: `{"ok":1}`}
			}}
		e := New(nil, Options{}).StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
		var seen []Progress
		began := time.Now()
		for len(seen) < 10 {
			p := e.Step(t.Context(), StepWait)
			seen = append(seen, p)
			if p.Ended {
				break
			}
		}
		if n := len(seen); n != 4 {
			t.Fatalf("%d steps, want 4 (2 s long-polls over 7 s)", n)
		}
		first, last := seen[0], seen[len(seen)-1]
		if first.Detail.Status != fnf.StatusRunning || len(first.Events) != 2 || first.Row.Status != fnf.StatusRunning {
			t.Errorf("first step = %+v, want Running with its first events", first)
		}
		if !last.Ended || last.Detail.Status != fnf.StatusSucceeded || len(last.Events) != 4 ||
			last.Events[3].Type != fnf.EventExecutionSucceeded || last.Row.Status != fnf.StatusSucceeded {
			t.Errorf("last step = %+v, want Succeeded with every event once", last)
		}
		if took := time.Since(began); took != 7*time.Second {
			t.Errorf("the steps took %s, want the execution's 7s", took)
		}
		if got := fake.Calls("DescribeExecution"); got != 4 {
			t.Errorf("DescribeExecution called %d times, want one per step", got)
		}
	})
}

func TestStepsNeverSpinOnABackendThatDoesNotLongPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, IgnoreWait: true,
			Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: 5 * time.Second} }}
		e := New(nil, Options{}).StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly"}, time.Now())
		began := time.Now()
		for i := 0; i < 3; i++ {
			e.Step(t.Context(), StepWait)
		}
		if took := time.Since(began); took != 3*time.Second || fake.Calls("DescribeExecution") != 3 {
			t.Fatalf("3 steps took %s (%d calls), want one a second", took, fake.Calls("DescribeExecution"))
		}
	})
}

// The end is recorded once in the row the start wrote, whoever sees it: a
// step, or a stop as the program quits.
func TestAStepRecordsTheEndInTheStartsRow(t *testing.T) {
	hs := openHistory(t)
	fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
		Script: func(fnf.StartRequest) sessiontest.Script {
			return sessiontest.Script{Runs: 10 * time.Millisecond, Output: `{"ok":1}`}
		}}
	s := New(hs, Options{})
	e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
	if len(s.Executions()) != 1 {
		t.Fatalf("running = %d, want the one started", len(s.Executions()))
	}
	var p Progress
	for !p.Ended {
		p = e.Step(t.Context(), StepWait)
	}
	if n, _ := hs.Count(t.Context()); n != 1 {
		t.Fatalf("%d rows, want one per execution", n)
	}
	row, _ := hs.Get(t.Context(), e.Row.ID)
	events, _ := row.EventList()
	if row.Status != fnf.StatusSucceeded || row.Output != `{"ok":1}` || len(events) != 4 || p.Row.ID != row.ID {
		t.Errorf("row = %+v", row)
	}
	if len(s.Executions()) != 0 || s.Finish(time.Now()) != "" {
		t.Errorf("an execution seen to end is still counted as running")
	}
}

// Quitting stops a local execution and records it Stopped with why; a
// remote one goes on, and the note says where.
func TestFinishStopsLocalExecutionsAndLeavesRemoteOnesRunning(t *testing.T) {
	for _, kind := range []string{fnf.KindLocal, fnf.KindCloud} {
		t.Run(kind, func(t *testing.T) {
			hs := openHistory(t)
			fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, BackendInfo: fnf.Info{Kind: kind, Region: "cn-hangzhou"},
				Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Hour} }}
			s := New(hs, Options{})
			e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
			note := s.Finish(time.Now())
			row, _ := hs.Get(context.Background(), e.Row.ID)
			if kind == fnf.KindCloud {
				if len(fake.Stops) != 0 || row.Status != fnf.StatusRunning || !strings.Contains(note, "goes on at the service") {
					t.Errorf("stops %+v, row %s, note %q: want it left running and said so", fake.Stops, row.Status, note)
				}
				return
			}
			if len(fake.Stops) != 1 || fake.Stops[0].Cause != QuitCause || row.Status != fnf.StatusStopped ||
				!strings.Contains(note, "Stopped") || !strings.Contains(note, "n1") {
				t.Errorf("stops %+v, row %s, note %q: want it stopped and recorded", fake.Stops, row.Status, note)
			}
		})
	}
}

func TestPendingTasksAreTheSubmittedOnesNotYetAnswered(t *testing.T) {
	sub := func(id, sched int64, step, token string) fnf.Event {
		return fnf.Event{EventId: id, ScheduleEventId: sched, StepName: step, Type: fnf.EventTaskSubmitted, EventDetail: `{"TaskToken":"` + token + `"}`}
	}
	end := func(id, sched int64, step, typ string) fnf.Event {
		return fnf.Event{EventId: id, ScheduleEventId: sched, StepName: step, Type: typ, EventDetail: `{}`}
	}
	events := []fnf.Event{
		sub(3, 2, "Ask", "t-1"), end(4, 2, "Ask", fnf.EventTaskSucceeded), // answered
		sub(6, 5, "Ask", "t-2"), // the retry: waiting
		sub(8, 7, "Other", "t-3"), end(9, 7, "Other", fnf.EventTaskFailed),
		sub(11, 10, "Last", "t-4"),
	}
	got := PendingTasks(events)
	if len(got) != 2 || got[0] != (Task{"Ask", "t-2"}) || got[1] != (Task{"Last", "t-4"}) {
		t.Errorf("pending = %+v, want t-2 and t-4", got)
	}
}
