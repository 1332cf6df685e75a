package session

import (
	"context"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session/sessiontest"
)

var standardFlow = fnf.Flow{Name: "nightly", ExecutionMode: fnf.ModeStandard}

func openHistory(t *testing.T) *history.Store {
	t.Helper()
	hs, err := history.Open(context.Background(), history.Options{Path: filepath.Join(t.TempDir(), "h.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	return hs
}

// A five-minute execution is followed with one long-poll a minute, not a
// busy loop: DescribeExecution's rate bucket is about 5 calls a second.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestFollowLongPollsOnceAMinuteUntilTheEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
			Script: func(fnf.StartRequest) sessiontest.Script {
				return sessiontest.Script{Runs: 5*time.Minute + 30*time.Second, Output: `{"done":true}`}
			}}
		s := New(nil, Options{})
		e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
		if e.Err != nil || e.Detail.Status != fnf.StatusRunning {
			t.Fatalf("start = %+v, %v", e.Detail, e.Err)
		}
		began := time.Now()
		f := e.Follow(t.Context())
		if f.Err != nil || f.Detail.Status != fnf.StatusSucceeded || f.Detail.Output != `{"done":true}` {
			t.Fatalf("followed = %+v", f)
		}
		if took := time.Since(began); took != 5*time.Minute+30*time.Second {
			t.Errorf("the follow took %s, want the execution's 5m30s", took)
		}
		if got := fake.Calls("DescribeExecution"); got != 6 {
			t.Errorf("DescribeExecution called %d times, want 6 (60 s long-polls)", got)
		}
		if len(f.Events) == 0 || f.Events[len(f.Events)-1].Type != fnf.EventExecutionSucceeded {
			t.Errorf("events = %+v", f.Events)
		}
	})
}

// A backend that answers a long-poll at once is asked at most once a second.
func TestFollowNeverSpinsOnABackendThatDoesNotLongPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, IgnoreWait: true,
			Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: 10 * time.Second} }}
		e := New(nil, Options{}).StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly"}, time.Now())
		f := e.Follow(t.Context())
		if f.Detail.Status != fnf.StatusSucceeded {
			t.Fatalf("followed = %+v", f)
		}
		if got := fake.Calls("DescribeExecution"); got < 10 || got > 11 {
			t.Errorf("DescribeExecution called %d times in 10 s, want about 10 (one a second)", got)
		}
	})
}

func TestAnInterruptStopsALocalExecutionAndLeavesARemoteOneRunning(t *testing.T) {
	for _, kind := range []string{fnf.KindLocal, fnf.KindCloud} {
		t.Run(kind, func(t *testing.T) {
			hs := openHistory(t)
			fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, BackendInfo: fnf.Info{Kind: kind},
				Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Hour} }}
			ctx, cancel := context.WithCancel(context.Background())
			e := New(hs, Options{}).StartExecution(ctx, fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
			if e.Row.ID == 0 || e.Row.Status != fnf.StatusRunning {
				t.Fatalf("start row = %+v, %v", e.Row, e.RowErr)
			}
			cancel()
			f := e.Follow(ctx)
			if !f.Interrupted {
				t.Fatalf("followed = %+v, want interrupted", f)
			}
			row, err := hs.Get(context.Background(), e.Row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if kind == fnf.KindCloud {
				if len(fake.Stops) != 0 || f.Stopped || row.Status != fnf.StatusRunning {
					t.Errorf("a remote execution was stopped (%+v) or its row changed: %+v", fake.Stops, row)
				}
				return
			}
			if len(fake.Stops) != 1 || fake.Stops[0].Error != StopError || fake.Stops[0].Cause != StopCause {
				t.Errorf("stops = %+v, want one with the interrupt's error and cause", fake.Stops)
			}
			events, _ := row.EventList()
			if !f.Stopped || row.Status != fnf.StatusStopped || row.ErrorCode != StopError || len(events) == 0 {
				t.Errorf("row = %+v, want Stopped with its cause and events", row)
			}
		})
	}
}

func TestTheEndOfAnExecutionLeftRunningIsRecordedByWhoeverSeesIt(t *testing.T) {
	hs := openHistory(t)
	fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
		Script: func(fnf.StartRequest) sessiontest.Script {
			return sessiontest.Script{Runs: time.Millisecond, Output: `{"ok":1}`}
		}}
	s := New(hs, Options{})
	e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "later", Input: `{"a":1}`}, time.Now())
	time.Sleep(2 * time.Millisecond)
	d, err := fake.DescribeExecution(t.Context(), fnf.DescribeRequest{FlowName: "nightly", ExecutionName: "later"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Observed(t.Context(), fake, fake, d)
	if err != nil || id != e.Row.ID {
		t.Fatalf("Observed = %d, %v; want row %d", id, err, e.Row.ID)
	}
	row, _ := hs.Get(t.Context(), id)
	events, _ := row.EventList()
	if row.Status != fnf.StatusSucceeded || row.Output != `{"ok":1}` || row.Input != `{"a":1}` || len(events) == 0 ||
		row.RequestID != "rid-start-later" {
		t.Errorf("row = %+v", row)
	}
	if id, err := s.Observed(t.Context(), fake, fake, d); id != 0 || err != nil {
		t.Errorf("a second observation = %d, %v; want nothing to update", id, err)
	}
}

// refusingStart is a backend whose StartExecution waits for its context.
type refusingStart struct{ *sessiontest.Fake }

func (r refusingStart) StartExecution(ctx context.Context, _ fnf.StartRequest) (fnf.ExecutionDetail, error) {
	<-ctx.Done()
	return fnf.ExecutionDetail{}, ctx.Err()
}

func TestAStartInterruptedBeforeItsAnswerIsRecordedCancelled(t *testing.T) {
	hs := openHistory(t)
	b := refusingStart{&sessiontest.Fake{Flows: []fnf.Flow{standardFlow}}}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e := New(hs, Options{}).StartExecution(ctx, b, b, fnf.StartRequest{FlowName: "nightly"}, time.Now())
	if e.Err == nil || e.Row.ID == 0 || e.Row.Status != fnf.StatusCancelled {
		t.Errorf("interrupted start = %+v, err %v; want a Cancelled row", e.Row, e.Err)
	}
	if f := e.Follow(ctx); f.Calls != 0 || f.Err == nil {
		t.Errorf("Follow of a start that failed = %+v, want no call and the start's error", f)
	}
}

func TestStartingANameStillRunningKeepsItsOneRow(t *testing.T) {
	hs := openHistory(t)
	fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
		Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Hour} }}
	s := New(hs, Options{})
	first := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
	again := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "n1"}, time.Now())
	if first.Row.ID == 0 || again.Row.ID != first.Row.ID || again.RowErr != nil {
		t.Errorf("rows %d and %d (%v), want the one row of the execution", first.Row.ID, again.Row.ID, again.RowErr)
	}
	if n, _ := hs.Count(t.Context()); n != 1 {
		t.Errorf("%d rows for one execution", n)
	}
}

// The service's DescribeExecution says an execution failed, not why; the
// follow reads the why from the ExecutionFailed event, for the summary and
// the history row.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-getexecutionhistory
func TestAFailedExecutionsErrorComesFromItsEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hs := openHistory(t)
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
			Script: func(fnf.StartRequest) sessiontest.Script {
				return sessiontest.Script{Runs: time.Second, Status: fnf.StatusFailed, Events: []fnf.Event{
					{EventId: 1, Type: fnf.EventExecutionStarted, EventDetail: `{}`},
					{EventId: 2, Type: fnf.EventExecutionFailed, EventDetail: `{"Error":"Payment.Declined","Cause":"card expired"}`},
				}}
			}}
		s := New(hs, Options{})
		e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly"}, time.Now())
		f := e.Follow(t.Context())
		if f.Detail.Status != fnf.StatusFailed || f.Detail.ErrorCode != "Payment.Declined" || f.Detail.ErrorMessage != "card expired" {
			t.Fatalf("followed = %+v", f.Detail)
		}
		row, err := hs.Get(t.Context(), e.Row.ID)
		if err != nil || row.ErrorCode != "Payment.Declined" || row.ErrorMessage != "card expired" {
			t.Errorf("row = %+v, %v", row, err)
		}
	})
}
