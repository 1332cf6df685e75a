package statusbar

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
)

func TestTheBarFitsItsWidthAndDropsHintsFirst(t *testing.T) {
	m := New(common.New(theme.New(true, false)))
	m.SetBackend("local · demo flows")
	m.SetRun("Succeeded · order-routing · 132 ms", false)
	m.SetHints([]key.Binding{
		key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "run")),
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	})
	for _, w := range []int{120, 80, 40} {
		m.SetSize(w)
		v := ansi.Strip(m.View())
		if ansi.StringWidth(v) != w {
			t.Fatalf("width %d: bar is %d wide: %q", w, ansi.StringWidth(v), v)
		}
		if !strings.Contains(v, "local") {
			t.Fatalf("width %d: the backend was dropped before the hints: %q", w, v)
		}
	}
	m.SetSize(120)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "ctrl+r run") || !strings.Contains(v, "? help") {
		t.Fatalf("hints missing at 120: %q", v)
	}
}

func TestMessagesFromOutsideAreSanitised(t *testing.T) {
	m := New(common.New(theme.New(true, false)))
	m.SetSize(100)
	m.SetMessage("listing flows failed: \x1b]0;pwned\x07", true)
	if v := m.View(); strings.Contains(v, "\x1b]") || strings.Contains(v, "\x07") {
		t.Fatalf("control characters reached the bar: %q", v)
	}
}
