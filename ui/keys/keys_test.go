package keys

import (
	"strings"
	"testing"
)

func TestOverrideRebindsAndNamesUnknownActions(t *testing.T) {
	g := DefaultGlobal()
	if err := Override(g.Bindings(), map[string][]string{"run": {"f9", "ctrl+r"}, "quit": {}}); err != nil {
		t.Fatal(err)
	}
	if got := g.Run.Keys(); len(got) != 2 || got[0] != "f9" || g.Run.Help().Key != "f9" || g.Run.Help().Desc != "run" {
		t.Fatalf("run is %v / %+v", got, g.Run.Help())
	}
	if g.Quit.Enabled() {
		t.Fatal("an empty key list should disable the action")
	}
	err := Override(g.Bindings(), map[string][]string{"fly": {"x"}, "swim": {"y"}})
	if err == nil || !strings.Contains(err.Error(), "fly, swim") || !strings.Contains(err.Error(), "run") {
		t.Fatalf("got %v", err)
	}
}
