package keys

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
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
	var oe *OverrideError
	if !errors.As(err, &oe) || len(oe.Problems) != 2 || oe.Problems[0].Action != "fly" || oe.Problems[1].Action != "swim" ||
		!strings.Contains(err.Error(), `unknown action "fly"`) || !strings.Contains(err.Error(), "run") {
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

// bindingsOf is a global map plus one pane's, named as the config names them.
func bindingsOf(g *Global, l *List) map[string]*key.Binding {
	all := g.Bindings()
	for name, b := range l.AddTo(map[string]*key.Binding{}) {
		all["flows."+name] = b
	}
	return all
}

func TestOverrideRefusesAKeyBoundToTwoActionsAtOnce(t *testing.T) {
	g, l := DefaultGlobal(), DefaultList("first", "last")
	err := Override(bindingsOf(&g, &l), map[string][]string{"quit": {"j", "q"}, "flows.home": {"ctrl+r"}})
	var oe *OverrideError
	if !errors.As(err, &oe) || len(oe.Problems) != 2 {
		t.Fatalf("got %v, want two clashes", err)
	}
	if p := oe.Problems[0]; p.Action != "flows.home" || p.Key != "ctrl+r" || !slices.Equal(p.Clashes, []string{"run"}) {
		t.Errorf("first problem %+v", p)
	}
	if p := oe.Problems[1]; p.Action != "quit" || p.Key != "j" || !slices.Equal(p.Clashes, []string{"flows.down"}) {
		t.Errorf("second problem %+v", p)
	}
	if !strings.Contains(err.Error(), `quit: key "j" is also bound to flows.down`) {
		t.Errorf("message %q", err)
	}
}

func TestOverrideAllowsKeysOfPanesThatAreNeverActiveTogether(t *testing.T) {
	g, l := DefaultGlobal(), DefaultList("first", "last")
	all := bindingsOf(&g, &l)
	runsList := DefaultList("newest", "oldest")
	for name, b := range runsList.AddTo(map[string]*key.Binding{}) {
		all["runs."+name] = b
	}
	// The same key in two panes, a swap of two keys, and a default clash kept.
	if err := Override(all, map[string][]string{"flows.down": {"n"}, "runs.down": {"n"}, "flows.up": {"j"}, "runs.up": {"k", "up"}}); err != nil {
		t.Fatalf("refused: %v", err)
	}
}
