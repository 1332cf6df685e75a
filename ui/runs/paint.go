package runs

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/theme"
)

// Rendering a row with Style.Render costs microseconds per call (it measures
// borders, margins and widths each time); a row needs several. The styles of
// the theme are split once into the escape sequences around their text, and
// rows are painted by concatenation. Only for single-line, sanitised text of
// styles without padding, width or borders.

// paint is a style as the text that goes before and after what it styles.
type paint struct{ pre, post string }

func paintOf(s lipgloss.Style) paint {
	r := s.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return paint{}
	}
	return paint{r[:i], r[i+1:]}
}

// Render styles one line.
func (p paint) Render(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// paints are the styles the pane's rows use, built from one theme.
type paints struct {
	src                     *theme.Styles
	muted, accent, failure  paint
	selected, otherStatuses paint
	status                  map[string]paint // theme.Styles.StatusStyle of each status
}

func newPaints(st *theme.Styles) *paints {
	// The statuses a run can have: client.Status*, and the history's "Error"
	// and "Cancelled".
	statuses := [...]string{"Starting", "Running", "Stopped", "Succeeded", "Failed", "TimedOut", "Error", "Cancelled"}
	p := &paints{
		src: st, muted: paintOf(st.Muted), accent: paintOf(st.Accent), failure: paintOf(st.Failure),
		selected: paintOf(st.Selected), otherStatuses: paintOf(st.StatusStyle("")),
		status: make(map[string]paint, len(statuses)),
	}
	for _, s := range statuses {
		p.status[s] = paintOf(st.StatusStyle(s))
	}
	return p
}

// statusOf paints a status.
func (p *paints) statusOf(status string) paint {
	if s, ok := p.status[status]; ok {
		return s
	}
	return p.otherStatuses
}

// plainASCII reports whether s is printable ASCII, one cell per byte.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// truncate cuts s to n cells, ending in "…" when it was cut, and returns
// the width of the result.
func truncate(s string, n int) (string, int) {
	if !plainASCII(s) {
		t := ansi.Truncate(s, n, "…")
		return t, ansi.StringWidth(t)
	}
	if len(s) <= n {
		return s, len(s)
	}
	if n < 1 {
		return "", 0
	}
	return s[:n-1] + "…", n
}
