package app

import (
	"testing"
)

// Each pane is listed once, under a name of its own: its key overrides
// ("flows.filter") and its own messages find it by that name, and the
// palette's "Go to" entries and esc's hint use its title.
func TestEachPaneIsListedOnceByName(t *testing.T) {
	h := newHarness(t, 120, 40)
	m := h.model()
	names, titles := map[string]bool{}, map[string]bool{}
	for i, e := range m.panes() {
		if names[e.name] || titles[e.title] || e.name == "" || e.title == "" {
			t.Fatalf("pane %d: name %q title %q is missing or listed twice", i, e.name, e.title)
		}
		names[e.name], titles[e.title] = true, true
		if p, ok := m.paneNamed(e.name); !ok || p != pane(i) {
			t.Fatalf("%q found as pane %d, want %d", e.name, p, i)
		}
	}
	h.key("ctrl+p")
	h.wantScreen("Go to Flows", "Go to Runs", "Go to Input", "Go to Result")
}
