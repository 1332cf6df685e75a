package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
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
