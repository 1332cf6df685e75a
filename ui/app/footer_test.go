package app

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/msgs"
)

// footer is the status bar line.
func (h *harness) footer() string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-1]
}

// At 80×24 every pane's footer shows its most useful key and a help key that
// works there; that key opens help. In the editor, ? is text (JSON holds
// question marks), so the footer offers f1.
func TestEveryPaneShowsAHelpKeyThatOpensHelp(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.selectFlow("order-routing")
	h.key("ctrl+r")
	for _, tc := range []struct {
		p          pane
		help, best string
	}{
		{paneFlows, "? help", "enter choose"},
		{paneRuns, "? help", "enter open"},
		{paneInput, "f1 help", "ctrl+f format"},
		{paneResult, "? help", "/ search"},
	} {
		h.setFocusTo(tc.p)
		f := h.footer()
		if !strings.Contains(f, tc.help) || !strings.Contains(f, tc.best) || !strings.Contains(f, "ctrl+r run") {
			t.Fatalf("pane %v: footer %q lacks %q, %q or ctrl+r run", tc.p, f, tc.help, tc.best)
		}
		h.key(strings.Fields(tc.help)[0])
		h.wantScreen("Keys", "esc closes")
		h.key("esc")
	}
}

func TestQuestionMarkIsTextInTheEditor(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.setFocusTo(paneInput)
	h.typeText("?")
	if h.model().showHelp || !strings.HasPrefix(h.model().input.Value(), "?") {
		t.Fatalf("? in the editor: help open %v, text %q", h.model().showHelp, h.model().input.Value())
	}
}

// A message too long for the bar is cut there and read in full in the
// message log, with its time and level.
func TestTheMessageLogShowsEveryMessageInFull(t *testing.T) {
	h := newHarness(t, 80, 24)
	long := "the input is not valid: " + strings.Repeat("word ", 30) + "END-OF-MESSAGE"
	h.send(statusMsg(long, true))
	if f := h.footer(); strings.Contains(f, "END-OF-MESSAGE") || !strings.Contains(f, "ctrl+l log") {
		t.Fatalf("footer %q: want the message cut and the log key shown", f)
	}
	h.key("ctrl+l")
	h.wantScreen("Messages", "10:00:00 error", "END-OF-MESSAGE")
	for _, l := range strings.Split(h.screen(), "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("a line is %d wide: %q", ansi.StringWidth(l), l)
		}
	}
	h.key("esc")
	if strings.Contains(h.screen(), "Messages") {
		t.Fatal("esc did not close the log")
	}
}

func statusMsg(text string, isErr bool) msgs.Status { return msgs.Status{Text: text, Err: isErr} }
