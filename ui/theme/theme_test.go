package theme

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

func TestNoColorKeepsEmphasisWithoutColours(t *testing.T) {
	st := New(true, true)
	for name, out := range map[string]string{
		"failure": st.Failure.Render("x"), "selected": st.Selected.Render("x"), "accent": st.Accent.Render("x"),
		"paint": st.Paint.Failure.Render("x"), "status": st.Paint.Status("Failed").Render("x"),
	} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Errorf("%s carries a colour under NO_COLOR: %q", name, out)
		}
	}
	if !strings.Contains(st.Selected.Render("x"), "7") {
		t.Errorf("the selection is not reversed under NO_COLOR: %q", st.Selected.Render("x"))
	}
}

func TestLightAndDarkPalettesDiffer(t *testing.T) {
	if New(true, false).Accent.Render("x") == New(false, false).Accent.Render("x") {
		t.Fatal("the accent is the same on light and dark backgrounds")
	}
}

func TestStatusesHaveMarksAndStyles(t *testing.T) {
	st := New(true, false)
	for _, s := range []fnf.Status{"Succeeded", "Failed", "TimedOut", "Stopped", "Error", "Cancelled"} {
		if StatusIcon(s) == "·" {
			t.Errorf("%s has no mark", s)
		}
		if st.Paint.Status(s).Render("x") == "x" {
			t.Errorf("%s is not styled", s)
		}
	}
}

// The Runs list marks and colours each status from one table: what failed
// is a red ✗ (⏱ for a time-out), what succeeded a green ✓, what someone
// stopped a ■ in the warning colour.
func TestEachStatusShowsAsItsTableSays(t *testing.T) {
	st := New(true, false)
	for _, c := range []struct {
		s    fnf.Status
		icon string
		want Paint
	}{
		{fnf.StatusSucceeded, "✓", st.Paint.Success},
		{fnf.StatusFailed, "✗", st.Paint.Failure},
		{fnf.StatusError, "✗", st.Paint.Failure},
		{fnf.StatusTimedOut, "⏱", st.Paint.Failure},
		{fnf.StatusStopped, "■", st.Paint.Warning},
		{fnf.StatusCancelled, "■", st.Paint.Warning},
		{fnf.StatusRunning, "…", st.Paint.Warning},
		{fnf.StatusStarting, "·", st.Paint.Muted},
		{"Paused", "·", st.Paint.Muted},
	} {
		if got := StatusIcon(c.s); got != c.icon {
			t.Errorf("StatusIcon(%s) = %q; want %q", c.s, got, c.icon)
		}
		if got, want := st.Paint.Status(c.s).Render("x"), c.want.Render("x"); got != want {
			t.Errorf("%s painted %q; want %q", c.s, got, want)
		}
		if c.s.Failed() != (c.want == st.Paint.Failure) || c.s.Succeeded() != (c.want == st.Paint.Success) {
			t.Errorf("%s: its colour disagrees with Failed() = %v, Succeeded() = %v", c.s, c.s.Failed(), c.s.Succeeded())
		}
	}
}
