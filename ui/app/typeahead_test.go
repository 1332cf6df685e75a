package app

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"github.com/flowtui/flowtui/fnf"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Keys read in one burst act on what the screen showed when each was read:
// `j enter ctrl+r` runs the flow and input the cursor moved to, the history
// records that flow, and a key typed next does not land in the editor.
func TestTypingAheadRunsTheFlowOnScreen(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	next, ok := h.nextFlowAfter("order-routing")
	if !ok {
		t.Fatal("no flow after order-routing")
	}
	h.burst("j", "enter", "ctrl+r", "x")

	m := h.model()
	if m.flow.Name != next.Name {
		t.Fatalf("selected %q after the burst, want %q", m.flow.Name, next.Name)
	}
	runs, err := h.history.List(context.Background(), history.Filter{})
	if err != nil || len(runs) != 1 {
		t.Fatalf("history %+v, %v: want one run", runs, err)
	}
	if runs[0].FlowName != next.Name {
		t.Fatalf("ran %q, want %q (the flow on screen when ctrl+r was read)", runs[0].FlowName, next.Name)
	}
	rec, err := h.history.Get(context.Background(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Input != next.SampleInput {
		t.Fatalf("ran with input %q, want %s's sample input %q", rec.Input, next.Name, next.SampleInput)
	}
	if m.focus != paneResult {
		t.Fatalf("focus %v after the run, want Result: a late focus change took it", m.focus)
	}
	if got := m.input.Value(); got != next.SampleInput {
		t.Fatalf("the editor holds %q: a key typed after ctrl+r went into it", got)
	}
	h.wantScreen("Input · " + next.Name)
}

// The input a run took stays in the editor: the flow's last input, loaded
// from the history after the run started, does not replace it.
func TestALateLoadDoesNotReplaceTheInputARunTook(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"OLD","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")

	// A new session on the same history: the last input comes back, late.
	h2 := newHarness(t, 120, 40, func(o *Options) { o.Backend, o.History = h.model().backend, h.history })
	h2.selectFlow("charge-with-retry") // the flow before order-routing
	h2.burst("down", "ctrl+r")

	_, rec := h.runsOf("order-routing", 2)
	if got := h2.model().input.Value(); got != rec.Input {
		t.Fatalf("the editor shows %q, the run took %q", got, rec.Input)
	}
}

// enter on a flow moves the focus as the key is read: a key typed right
// after it goes into the editor, not to the Flows list.
func TestKeysTypedAfterChoosingAFlowGoToTheEditor(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.burst("enter", "x", "j")
	if got := h.model().input.Value(); !strings.HasPrefix(got, "xj") {
		t.Fatalf("the editor holds %q, want the x and j typed after enter at its start", got)
	}
	if h.model().flow.Name != "order-routing" {
		t.Fatalf("the keys moved the Flows cursor to %s", h.model().flow.Name)
	}
}

// A past run asked for before ctrl+r does not replace the run that key
// started when the history answers late: Result shows the new run.
func TestAPastRunOpenedLateDoesNotHideTheNewRun(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"OLD","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	h.send(msgs.LoadInput{Text: `{"orderId":"NEW","total":1,"country":"JP"}`, Source: "test"})
	h.setFocusTo(paneRuns)
	h.burst("enter", "ctrl+r")
	if rt := h.resultTitle(); !strings.Contains(rt, "live") {
		t.Fatalf("Result shows %q, want the run just made", rt)
	}
	h.wantScreen(`"orderId": "NEW"`)
}

// i loads a past run's input; a key typed into the editor before the history
// answers, or a run started meanwhile, keeps the editor as it is: the late
// load neither eats the edit nor makes the editor differ from what ran.
func TestALateInputLoadKeepsEditsAndWhatRan(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"OLD","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	h.send(msgs.LoadInput{Text: `{"orderId":"NEW","total":1,"country":"JP"}`, Source: "test"})
	h.setFocusTo(paneRuns)

	h.burst("i", "x")
	if got := h.model().input.Value(); !strings.HasPrefix(got, `x{"orderId":"NEW"`) {
		t.Fatalf("the editor holds %q: the late load ate the edit", got)
	}
	h.key("ctrl+l")
	h.wantScreen("not loaded")
	h.key("esc")

	h.setFocusTo(paneRuns)
	h.burst("i", "ctrl+r")
	_, rec := h.runsOf("order-routing", 2)
	if got := h.model().input.Value(); got != rec.Input {
		t.Fatalf("the editor shows %q, the run took %q", got, rec.Input)
	}
}

// i then ctrl+r, typed faster than the history answers, runs the input i
// asked for: the keys decided it, not the text the editor held a moment
// before the load landed.
func TestRunAfterLoadingAPastInputTakesThatInput(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"PAST","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	h.send(msgs.LoadInput{Text: `{"orderId":"SHOWN","total":1,"country":"JP"}`, Source: "test"})
	h.setFocusTo(paneRuns)

	h.burst("i", "ctrl+r")
	_, rec := h.runsOf("order-routing", 2) // the first run and the one i and ctrl+r made
	if !strings.Contains(rec.Input, "PAST") {
		t.Fatalf("the run took %q, want the input of the run i loaded", rec.Input)
	}
	if got := h.model().input.Value(); got != rec.Input {
		t.Fatalf("the editor shows %q, the run took %q", got, rec.Input)
	}
}

// esc forgets a run waiting for a past input; the input still loads.
func TestEscForgetsARunWaitingForAPastInput(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"PAST","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	h.setFocusTo(paneRuns)

	h.burst("i", "ctrl+r", "esc")
	h.runsOf("order-routing", 1) // esc forgot the waiting run
	h.key("ctrl+l")
	h.wantScreen("was not started: stopped")
}

// A message said while a run was in flight (a second ctrl+r refused) does
// not outlive the run: the status bar then says how the run ended.
func TestTheStatusBarSaysHowARunEndedNotWhatWasSaidMeanwhile(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	var call tea.Cmd
	h.m, call = h.m.Update(keyPress("ctrl+r"))
	h.key("ctrl+r")
	lines := strings.Split(h.screen(), "\n")
	if bar := lines[len(lines)-1]; !strings.Contains(bar, "a run of order-routing is in") {
		t.Fatalf("the second ctrl+r is not refused in the status bar: %q", bar)
	}
	h.run(call)
	lines = strings.Split(h.screen(), "\n")
	if bar := lines[len(lines)-1]; strings.Contains(bar, "is in") || !strings.Contains(bar, "Succeeded") {
		t.Fatalf("after the run the status bar reads %q", bar)
	}
}

// The Input title says when the input it loaded last ran as Runs says it:
// the time alone for a run of today.
func TestTheLastRunsInputIsDatedAsRunsDatesIt(t *testing.T) {
	h := newHarness(t, 160, 40)
	today := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC) // the harness's clock reads 10:00 that day
	if _, err := h.history.Add(context.Background(), history.Run{FlowName: "order-routing", Status: fnf.StatusSucceeded,
		Backend: fnf.KindLocal, ClientStart: today, Input: `{"orderId":"LAST","total":1,"country":"JP"}`}); err != nil {
		t.Fatal(err)
	}
	h.selectFlow("order-routing")
	h.wantScreen("Input · order-routing · last run (09:30:00)")
}
