package session

import (
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// A stop asked for an execution that has ended sends no StopExecution and
// says how it ended; one still running is stopped.
func TestStopIfRunningStopsOnlyARunningExecution(t *testing.T) {
	fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
		Script: func(req fnf.StartRequest) sessiontest.Script {
			if req.ExecutionName == "done" {
				return sessiontest.Script{Runs: time.Millisecond}
			}
			return sessiontest.Script{Runs: time.Hour}
		}}
	s := New(nil, Options{})
	done := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "done"}, time.Now())
	long := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "long"}, time.Now())
	time.Sleep(5 * time.Millisecond)
	d, stopped, err := done.StopIfRunning(t.Context(), "E", "c")
	if err != nil || stopped || d.Status != fnf.StatusSucceeded || len(fake.Stops) != 0 {
		t.Errorf("ended: %s, stopped %v, %v, stops %+v; want Succeeded and no StopExecution", d.Status, stopped, err, fake.Stops)
	}
	d, stopped, err = long.StopIfRunning(t.Context(), "E", "c")
	if err != nil || !stopped || d.Status != fnf.StatusStopped || len(fake.Stops) != 1 {
		t.Errorf("running: %s, stopped %v, %v, stops %+v; want it stopped", d.Status, stopped, err, fake.Stops)
	}
}
