package session

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// lineOf is the line of note that names the execution name.
func lineOf(note, name string) string {
	for line := range strings.Lines(note) {
		if strings.Contains(line, " "+name+" ") {
			return line
		}
	}
	return ""
}

// A remote execution that ended while nobody followed it (esc) is not said
// to go on at exit: it is described once, its row gets its end, and only
// the one still running is said to go on, with the command that shows it.
func TestFinishDescribesRemoteExecutionsAndRecordsThoseThatEnded(t *testing.T) {
	hs := openHistory(t)
	const endpoint = "http://127.0.0.1:8080"
	fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow}, BackendInfo: fnf.Info{Kind: fnf.KindCloud, Endpoint: endpoint},
		Script: func(req fnf.StartRequest) sessiontest.Script {
			if req.ExecutionName == "done" {
				return sessiontest.Script{Runs: time.Millisecond, Output: `{"ok":1}`}
			}
			return sessiontest.Script{Runs: time.Hour}
		}}
	s := New(hs, Options{})
	done := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "done"}, time.Now())
	long := s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly", ExecutionName: "long"}, time.Now())
	time.Sleep(5 * time.Millisecond)

	note := s.Finish(time.Now())

	if l := lineOf(note, "done"); strings.Contains(l, "goes on") || !strings.Contains(l, "Succeeded") {
		t.Errorf("the ended execution is told as %q, want its end (Succeeded), not that it goes on", l)
	}
	want := "goes on at " + endpoint + " (flowtui executions show nightly long)"
	if l := lineOf(note, "long"); !strings.Contains(l, want) {
		t.Errorf("the running execution is told as %q, want %q", l, want)
	}
	row, _ := hs.Get(t.Context(), done.Row.ID)
	if events, _ := row.EventList(); row.Status != fnf.StatusSucceeded || row.Output != `{"ok":1}` || len(events) == 0 {
		t.Errorf("the ended execution's row = %s %q (%d events), want Succeeded with its output and events", row.Status, row.Output, len(events))
	}
	if row, _ := hs.Get(t.Context(), long.Row.ID); row.Status != fnf.StatusRunning {
		t.Errorf("the running execution's row = %s, want Running", row.Status)
	}
	if n := fake.Calls("DescribeExecution"); n != 2 || len(fake.Stops) != 0 {
		t.Errorf("DescribeExecution called %d times (want 2, one each, no wait), stops %+v (want none)", n, fake.Stops)
	}
}

// Many remote executions at exit: the describes stay within a handful of
// calls a second and ExitGrace in all; those not asked are said to be of
// unknown state, never ended nor merely going on.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestFinishDescribesWithinItsGraceAndRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &sessiontest.Fake{Flows: []fnf.Flow{standardFlow},
			Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Hour} }}
		s := New(nil, Options{})
		for range 20 {
			s.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "nightly"}, time.Now())
		}
		began := time.Now()
		note := s.Finish(time.Now())
		took := time.Since(began)
		if took > DefaultExitGrace {
			t.Errorf("Finish took %s, want at most %s", took, DefaultExitGrace)
		}
		calls := fake.Calls("DescribeExecution")
		if limit := int(DefaultExitGrace/exitDescribeGap) + 1; calls == 0 || calls > limit {
			t.Errorf("%d DescribeExecution calls in %s, want 1 to %d (4 a second)", calls, took, limit)
		}
		lines := strings.Split(note, "\n")
		unknown := 0
		for _, l := range lines {
			if strings.Contains(l, "could not be learnt") && strings.Contains(l, "flowtui executions show nightly") {
				unknown++
			}
		}
		if len(lines) != 20 || unknown != 20-calls {
			t.Errorf("%d lines, %d of unknown state; want 20, %d:\n%s", len(lines), unknown, 20-calls, note)
		}
	})
}
