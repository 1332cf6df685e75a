package statusbar

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
)

func TestTheBarFitsItsWidthAndDropsHintsFirst(t *testing.T) {
	m := New(common.New(theme.New(true, false)))
	m.SetBackend("local · demo flows")
	m.SetRun("Succeeded · order-routing · 132 ms", false)
	m.SetHints(bind("?", "help"), bind("ctrl+l", "log"), []key.Binding{bind("ctrl+r", "run"), bind("tab", "next pane")})
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

func bind(k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc))
}

// At 80 columns a long message is cut, not the hints: the help key and the
// most useful keys show, the least useful drop, and the log key says where
// the message is in full.
func TestAtEightyColumnsTheHelpKeyAndTheTopHintsShow(t *testing.T) {
	m := New(common.New(theme.New(true, false)))
	m.SetBackend("local · ~/.config/flowtui/flows + demo flows")
	m.SetMessage("listing flows failed: ListFlows: cn-hangzhou.fnf.aliyuncs.com: Forbidden.RAM: user dev may not call fnf:ListFlows", true)
	m.SetHints(bind("?", "help"), bind("ctrl+l", "log"), []key.Binding{
		bind("enter", "choose"), bind("ctrl+r", "run"), bind("/", "filter"), bind("r", "reload"),
		bind("tab", "next pane"), bind("ctrl+p", "commands"),
	})
	m.SetSize(80)
	v := ansi.Strip(m.View())
	if ansi.StringWidth(v) != 80 {
		t.Fatalf("bar is %d wide: %q", ansi.StringWidth(v), v)
	}
	for _, want := range []string{"? help", "enter choose", "ctrl+r run", "ctrl+l log", "local"} {
		if !strings.Contains(v, want) {
			t.Fatalf("80 columns: %q missing from %q", want, v)
		}
	}
	if strings.Contains(v, "ctrl+p") || !strings.Contains(v, "…") {
		t.Fatalf("80 columns: the least useful hint should drop and the message be cut: %q", v)
	}
	m.SetSize(200)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "ctrl+p commands") {
		t.Fatalf("200 columns: every hint should show: %q", v)
	}
}

func TestEveryMessageIsLoggedInFullWithTimeAndLevel(t *testing.T) {
	c := common.New(theme.New(true, false))
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c.Now = func() time.Time { return at }
	m := New(c)
	m.SetMessage("first\nsecond line \x1b[2J", true)
	m.SetMessage("", false) // clearing is not a message
	m.SetRun("Succeeded · order-routing · 132 ms", false)
	log := m.Log()
	if len(log) != 2 || !log[0].Err || log[1].Err || !log[0].At.Equal(at) {
		t.Fatalf("log %+v", log)
	}
	if !strings.Contains(log[0].Text, "second line") || strings.Contains(log[0].Text, "\x1b") {
		t.Fatalf("entry %q: want the whole text, sanitised", log[0].Text)
	}
	for range MaxLog + 5 {
		m.SetMessage("x", false)
	}
	if len(m.Log()) != MaxLog {
		t.Fatalf("log holds %d entries, want the newest %d", len(m.Log()), MaxLog)
	}
}
