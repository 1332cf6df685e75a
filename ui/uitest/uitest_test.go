package uitest

import "testing"

func TestKeysReadBackAsTheirNames(t *testing.T) {
	for _, name := range []string{"down", "enter", "shift+tab", "ctrl+r", "ctrl+e", "esc", "pgdown", "a", "/", "?", "f5"} {
		if got := Key(name).String(); got != name {
			t.Errorf("Key(%q).String() = %q", name, got)
		}
	}
}
