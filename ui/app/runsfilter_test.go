package app

import (
	"strings"
	"testing"

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
