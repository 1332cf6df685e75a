package palette

import (
	"strings"
	"testing"

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

func press(m Model, keys ...string) (Model, *Chosen) {
	var chosen *Chosen
	for _, k := range keys {
		var c *Chosen
		m, c = m.Update(uitest.Key(k))
		if c != nil {
			chosen = c
		}
	}
	return m, chosen
}

func TestTypingFiltersAndEnterChooses(t *testing.T) {
	m := open(t)
	m, _ = press(m, "c", "o", "p")
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "Copy the run") || strings.Contains(view, "Quit flowtui") {
		t.Fatalf("filter \"cop\":\n%s", view)
	}
	m, c := press(m, "enter")
	if c == nil || c.ID != "copy" || c.Kind != "commands" || m.IsOpen() {
		t.Fatalf("got %#v, open %v", c, m.IsOpen())
	}
}

func TestEscClosesAndNothingMatchingSaysSo(t *testing.T) {
	m := open(t)
	m, _ = press(m, "z", "z")
	if !strings.Contains(ansi.Strip(m.View()), "nothing matches") {
		t.Fatal("no notice for an empty list")
	}
	if _, c := press(m, "enter"); c != nil {
		t.Fatalf("enter on an empty list gave %#v", c)
	}
	m, c := press(m, "esc")
	if c != nil || m.IsOpen() {
		t.Fatalf("esc gave %#v, open %v", c, m.IsOpen())
	}
}

// A list whose choices are not all known takes what is typed: the typed
// item shows the text and carries it back; with nothing typed it is hidden.
func TestATypedItemTakesTheTextTyped(t *testing.T) {
	m := New(common.New(theme.New(true, false)))
	m.SetSize(80, 24)
	m.Open("testcase", "Mock test case", []Item{{ID: "-", Title: "Default", Current: true}, {Typed: true, Title: "Use the test case"}})
	if strings.Contains(ansi.Strip(m.View()), "Use the test case") {
		t.Fatalf("the typed item shows before anything is typed:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(m, "D", "e", "c")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Use the test case “Dec”") {
		t.Fatalf("typed item:\n%s", v)
	}
	m, c := press(m, "down", "enter")
	if c == nil || c.ID != "Dec" || m.IsOpen() {
		t.Fatalf("got %#v, open %v", c, m.IsOpen())
	}
}

// A list that arrives while the dialog is open (the service's regions) keeps
// what was typed and the item under the cursor.
func TestReplaceKeepsTheFilterAndTheItemUnderTheCursor(t *testing.T) {
	m := open(t)
	m, _ = press(m, "u", "down", "down")
	m.Replace("Commands · newer", []Item{
		{ID: "new", Title: "Run the new thing"},
		{ID: "run", Title: "Run the selected flow", Key: "ctrl+r"},
		{ID: "quit", Title: "Quit flowtui", Key: "q"},
	})
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Commands · newer") || !strings.Contains(v, "> u") {
		t.Fatalf("title or filter lost:\n%s", v)
	}
	if _, c := press(m, "enter"); c == nil || c.ID != "quit" {
		t.Fatalf("chose %+v, want the item the cursor was on (quit)", c)
	}
}
