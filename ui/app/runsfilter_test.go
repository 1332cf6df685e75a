package app

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/msgs"
)

// TestRunsFilterQueriesTheHistory filters the Runs pane by status and by a
// word of the input, through the history's query, then clears the filter.
func TestRunsFilterQueriesTheHistory(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"KEEP-1","total":20,"country":"SG"}`, Source: "test"})
	h.key("ctrl+r")
	h.send(msgs.LoadInput{Text: `{"orderId":"ZAP-2","total":5000,"country":"CN"}`, Source: "test"})
	h.key("ctrl+r")
	h.setFocusTo(paneRuns)
	if n := h.model().runs.Len(); n != 2 {
		t.Fatalf("%d runs listed, want 2", n)
	}
	h.key("/")
	h.typeText("status:succeeded KEEP")
	h.key("enter")
	h.wantScreen("/status:succeeded KEEP · 1/1")
	if n := h.model().runs.Len(); n != 1 {
		t.Fatalf("%d runs match, want 1", n)
	}
	h.key("esc")
	if n := h.model().runs.Len(); n != 2 || strings.Contains(h.screen(), "/status") {
		t.Fatalf("after esc %d runs listed:\n%s", n, h.screen())
	}
}

// With a run in flight, esc in Runs with a filter clears the filter and
// leaves the run going; the footer and Result say which esc does what. Once
// nothing is left to clear, esc stops the run. In the editor, which has
// nothing to clear, esc stops it at once.
func TestEscClearsARunsFilterBeforeItStopsARun(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = &blockingBackend{Backend: mustLocal(t)} })
	h.selectFlow("order-routing")
	var call tea.Cmd
	h.m, call = h.m.Update(keyPress("ctrl+r"))
	defer h.model().Finish()
	_ = call
	h.setFocusTo(paneRuns)
	h.key("/")
	h.typeText("status:succeeded")
	h.wantScreen("running order-routing · esc clears Runs first, then stops waiting")
	h.key("enter")
	h.wantScreen("/status:succeeded", "esc clear filter", "esc clears Runs first")
	if strings.Contains(h.statusLine(), "esc stop run") {
		t.Fatalf("the footer offers esc to stop while esc clears the filter:\n%s", h.statusLine())
	}

	h.key("esc")
	if h.model().inflight == 0 || strings.Contains(h.screen(), "/status:succeeded") {
		t.Fatalf("esc stopped the run or kept the filter:\n%s", h.screen())
	}
	h.wantScreen("running order-routing · esc stops waiting")
	if !strings.Contains(h.statusLine(), "esc stop run") {
		t.Fatalf("the footer does not offer esc to stop:\n%s", h.statusLine())
	}
	h.key("esc")
	h.wantScreen("Result · Cancelled")

	h.key("ctrl+r")
	h.setFocusTo(paneInput)
	h.key("esc")
	h.wantScreen("Result · Cancelled")
}

// statusLine is the screen's last line: the status bar and its key hints.
func (h *harness) statusLine() string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-1]
}
