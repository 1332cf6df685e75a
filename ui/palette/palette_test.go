package palette

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
	"github.com/flowtui/flowtui/ui/uitest"
)

func open(t *testing.T) Model {
	t.Helper()
	m := New(common.New(theme.New(true, false)))
	m.SetSize(80, 24)
	m.Open("commands", "Commands", []Item{
		{ID: "run", Title: "Run the selected flow", Key: "ctrl+r"},
		{ID: "copy", Title: "Copy the run as a flowtui command line"},
		{ID: "quit", Title: "Quit flowtui", Key: "q"},
	})
	return m
}

func press(m Model, keys ...string) (Model, tea.Msg) {
	var msg tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key(k))
		if cmd != nil {
			msg = cmd()
		}
	}
	return m, msg
}

func TestTypingFiltersAndEnterChooses(t *testing.T) {
	m := open(t)
	m, _ = press(m, "c", "o", "p")
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "Copy the run") || strings.Contains(view, "Quit flowtui") {
		t.Fatalf("filter \"cop\":\n%s", view)
	}
	m, msg := press(m, "enter")
	if c, ok := msg.(Chosen); !ok || c.ID != "copy" || c.Kind != "commands" || m.IsOpen() {
		t.Fatalf("got %#v, open %v", msg, m.IsOpen())
	}
}

func TestEscClosesAndNothingMatchingSaysSo(t *testing.T) {
	m := open(t)
	m, _ = press(m, "z", "z")
	if !strings.Contains(ansi.Strip(m.View()), "nothing matches") {
		t.Fatal("no notice for an empty list")
	}
	if _, msg := press(m, "enter"); msg != nil {
		t.Fatalf("enter on an empty list gave %#v", msg)
	}
	m, msg := press(m, "esc")
	if _, ok := msg.(Closed); !ok || m.IsOpen() {
		t.Fatalf("esc gave %#v", msg)
	}
}
