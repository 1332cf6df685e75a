package theme

import (
	"strings"
	"testing"
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
	for _, s := range []string{"Succeeded", "Failed", "TimedOut", "Stopped", "Error", "Cancelled"} {
		if StatusIcon(s) == "·" {
			t.Errorf("%s has no mark", s)
		}
		if st.Paint.Status(s).Render("x") == "x" {
			t.Errorf("%s is not styled", s)
		}
	}
}
