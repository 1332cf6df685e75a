package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/session/sessiontest"
	"github.com/flowtui/flowtui/ui/msgs"
)

// A refresh that sees an execution recorded Running has ended records its
// end in the history, as `flowtui executions show` does.
func TestARefreshRecordsAnEndSeenLater(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	start := harnessClock.Add(-20 * time.Second)
	f.Seed(fnf.ExecutionDetail{FlowName: "refund-approval", Name: "late-1", Status: fnf.StatusSucceeded, Output: `{"ok":true}`,
		StartedTime: fnf.FormatTime(start), StoppedTime: fnf.FormatTime(start.Add(time.Second))}, nil)
	if _, err := h.history.Add(context.Background(), history.Run{FlowName: "refund-approval", Name: "late-1", Mode: fnf.ModeStandard,
		Backend: fakeCloud.Kind, Region: fakeCloud.Region, Endpoint: fakeCloud.Endpoint, Status: fnf.StatusRunning,
		ClientStart: start, StartedTime: start}); err != nil {
		t.Fatal(err)
	}
	h.selectFlow("refund-approval")
	for gen := range 4 { // the pane's listing, whichever it is
		h.send(msgs.DescribeExecutions{Gen: gen, Flow: "refund-approval", Names: []string{"late-1"}})
	}
	if _, row := h.runsOf("refund-approval", 1); row.Status != fnf.StatusSucceeded || row.Output != `{"ok":true}` {
		t.Fatalf("the history's row is %s %q; want the end the service told", row.Status, row.Output)
	}
}

// enter on a run let go with esc, still Running, opens the execution as
// the service has it now (its events so far), as "Runs can reopen it" says.
func TestEnterOnARunLetGoOpensItFromTheBackend(t *testing.T) {
	h := startHeld(t)
	h.key("esc")
	h.wantScreen("stopped following hold")
	for h.model().focus != paneRuns {
		h.key("tab")
	}
	h.key("enter")
	h.wantScreen("the service's execution of")
	if s := h.screen(); strings.Contains(s, "no trace was recorded") {
		t.Fatalf("enter opened the history's Running row:\n%s", s)
	}
}

// A Standard run started here, which the service lists too, shows once,
// marked as in both, though the service was listed before it started.
func TestARunStartedHereShowsInBoth(t *testing.T) {
	f, mod := withExecutions(t)
	f.IgnoreWait = true
	f.Script = func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: 10 * time.Minute} }
	h := newHarness(t, 120, 40, mod)
	h.selectFlow("refund-approval")
	listed := f.Calls("ListExecutions")
	h.key("ctrl+r")
	m := h.model()
	h.send(stepped{id: m.live.id, exec: m.live.exec, p: session.Progress{Row: m.live.last.Run,
		Detail: fnf.ExecutionDetail{FlowName: "refund-approval", Name: m.live.exec.Name(), Status: fnf.StatusRunning, StartedTime: fnf.FormatTime(harnessClock)}}})
	rows := strings.Split(h.screen(), "\n")
	var mine []string
	for _, r := range rows {
		if strings.Contains(r, "Runs ·") || strings.Contains(r, "nightly-7") || strings.Contains(r, "refund-42") || strings.Contains(r, "smoke-1") {
			continue
		}
		if strings.Contains(r, " 10:00:00 ") {
			mine = append(mine, r)
		}
	}
	if len(mine) != 1 || !strings.Contains(mine[0], "10:00:00 hs ") {
		t.Fatalf("the run started here shows as %q; want one row marked hs:\n%s", mine, h.screen())
	}
	if n := f.Calls("ListExecutions") - listed; n != 1 {
		t.Errorf("ListExecutions called %d times for the run; want 1", n)
	}
}

// recorded is a history holding runs when the TUI opens.
func recorded(t *testing.T, runs ...history.Run) func(*Options) {
	t.Helper()
	hs, err := history.Open(context.Background(), history.Options{Path: filepath.Join(t.TempDir(), "opened.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	for _, r := range runs {
		if _, err := hs.Add(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return func(o *Options) { o.History = hs }
}

// The flow selected when the TUI opens lists the service's executions at
// once, with the origin marks, without moving away and back.
func TestTheFirstFlowListsTheServiceAtOnce(t *testing.T) {
	f, mod := withExecutions(t)
	f.Flows = f.Flows[1:] // refund-approval first
	h := newHarness(t, 120, 40, mod, recorded(t, smokeRuns()...))
	h.key("tab") // Runs
	h.wantScreen("nightly-7", " s ", "hs ")
}
