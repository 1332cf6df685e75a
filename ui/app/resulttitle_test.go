package app

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/msgs"
)

// resultTitle is the top border of the Result pane.
func (h *harness) resultTitle() string {
	for _, l := range strings.Split(h.screen(), "\n") {
		if i := strings.Index(l, "Result ·"); i >= 0 {
			return l[i:]
		}
	}
	h.t.Fatalf("no Result title:\n%s", h.screen())
	return ""
}

// Result names the run it shows: browsing to another flow while a run is in
// flight leaves it labelled as the run's flow, live, with its backend; a
// run opened from the history says which and when.
func TestResultNamesTheFlowAndRunItShows(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(keyPress("ctrl+r")) // in flight until cmd runs
	h.setFocusTo(paneFlows)
	h.key("down")
	if h.model().flow.Name == "order-routing" {
		t.Fatal("the cursor did not move")
	}
	h.wantScreen("Input · " + h.model().flow.Name)
	if rt := h.resultTitle(); !strings.Contains(rt, "running") || !strings.Contains(rt, "order-routing · live · local") {
		t.Fatalf("in flight, under another flow's Input: %q", rt)
	}
	h.run(cmd)
	if rt := h.resultTitle(); !strings.Contains(rt, "Succeeded") || !strings.Contains(rt, "order-routing · live 10:00:00 · local") {
		t.Fatalf("finished, under another flow's Input: %q", rt)
	}

	h.key("up")
	h.setFocusTo(paneRuns)
	h.key("enter")
	if rt := h.resultTitle(); !strings.Contains(rt, "order-routing · run 1 of 10:00:00 · local") {
		t.Fatalf("opened from the history: %q", rt)
	}
}

// The Definition tab is about the flow the Result is about: after browsing
// to another flow while a run is shown, it shows the run's flow's
// definition, and names it, not the flow selected.
func TestDefinitionTabShowsTheFlowOfTheRunShown(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.selectFlow("order-routing")
	h.key("ctrl+r")
	h.setFocusTo(paneFlows)
	h.key("down")
	other := h.model().flow.Name
	if other == "order-routing" {
		t.Fatal("the cursor did not move")
	}
	h.setFocusTo(paneResult)
	h.key("5")
	if rt := h.resultTitle(); !strings.Contains(rt, "order-routing") {
		t.Fatalf("title %q", rt)
	}
	h.wantScreen("Name: order-routing", "order-routing · YAML")
	if strings.Contains(h.screen(), "Name: "+other) {
		t.Fatalf("the Definition tab shows %s under a run of order-routing:\n%s", other, h.screen())
	}

	// No run shown any more: the tab follows the selection again.
	h.setFocusTo(paneRuns)
	h.setFocusTo(paneFlows)
	h.key("up", "down")
	h.send(msgs.RunOpened{Err: errors.New("gone")})
	h.wantScreen("Name: "+other, other+" · YAML")
}
