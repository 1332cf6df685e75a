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

// The help hint names a key that acts: ? outside text fields, f1 inside
// them; a binding with only typed keys has no hint there.
func TestUsableNamesAKeyThatActsWhileTyping(t *testing.T) {
	g := DefaultGlobal()
	if got := Usable(g.Help, false).Help().Key; got != "?" {
		t.Fatalf("help hint outside text fields: %q, want ?", got)
	}
	if got := Usable(g.Help, true).Help().Key; got != "f1" {
		t.Fatalf("help hint while typing: %q, want f1", got)
	}
	if Usable(g.Quit, true).Enabled() {
		t.Fatal("q cannot quit while typing: no hint")
	}
	if g.Help.Help().Key != "?/f1" {
		t.Fatal("Usable changed the binding it was given")
	}
	for name, want := range map[string]bool{"?": true, "q": true, "space": true, "f1": false, "ctrl+l": false, "esc": false} {
		if Typed(name) != want {
			t.Errorf("Typed(%q) = %v", name, !want)
		}
	}
}
