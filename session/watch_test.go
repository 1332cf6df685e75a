package session

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// Watch waits for the end of an execution no longer followed with one
// long-poll a minute (one call a second at most on a backend that answers
// at once), and records its end.
func TestWatchWaitsCheaplyAndRecordsTheEnd(t *testing.T) {
	for _, ignoreWait := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, BackendInfo: fnf.Info{Kind: fnf.KindLocal}, IgnoreWait: ignoreWait,
				Script: func(fnf.StartRequest) sessiontest.Script {
					return sessiontest.Script{Runs: 5*time.Minute + 30*time.Second}
				}}
			s := New(nil, Options{})
			e := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "w"}, time.Now())
			p := e.Watch(t.Context())
			if !p.Ended || p.Row.Status != fnf.StatusSucceeded || len(s.Executions()) != 0 {
				t.Fatalf("watched = %+v, still running: %d; want its end recorded", p, len(s.Executions()))
			}
			calls, most := fake.Calls("DescribeExecution"), 8 // 6 long-polls and the end's step
			if ignoreWait {
				most = 332 // one a second
			}
			if calls > most {
				t.Errorf("ignoreWait %v: %d DescribeExecution calls in 5m30s, want at most %d", ignoreWait, calls, most)
			}
		})
	}
}
