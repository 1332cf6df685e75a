package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/theme"
)

func TestFrameIsExactlyItsSizeWhateverTheBody(t *testing.T) {
	st := theme.New(true, false)
	body := "short\n日本語の長い行はここで切られるべきです and more text\n\x1b[1mstyled\x1b[m line that is far too long for the frame"
	for _, size := range [][2]int{{4, 2}, {10, 3}, {24, 6}, {40, 12}} {
		out := Frame(st, "Title · a long title that must be cut", "footer", body, size[0], size[1], true)
		lines := strings.Split(out, "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Fatalf("%v: line %d is %d wide: %q", size, i, w, ansi.Strip(l))
			}
		}
	}
}

func TestTruncateCutsByCells(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"flows", 10, "flows"}, {"order-routing", 6, "order…"}, {"日本語", 4, "日…"}, {"abc", 0, ""},
	} {
		got, w := Truncate(tc.in, tc.n)
		if got != tc.want || w != ansi.StringWidth(got) {
			t.Errorf("Truncate(%q, %d) = %q, %d; want %q", tc.in, tc.n, got, w, tc.want)
		}
	}
}

func TestWidthOfStyledASCIIMatchesTheGeneralMeasure(t *testing.T) {
	st := theme.New(true, false)
	for _, s := range []string{"", "plain", st.Failure.Render("✗ bad") + " x", st.Accent.Render("abc") + st.Muted.Render(" · 2 KiB"),
		"\x1b[1;38;2;1;2;3mbold\x1b[m", "\x1b[2Jclear", "\x1b]0;t\x07x", "a\x1b[", "日本\x1b[1m語"} {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
	}
}
