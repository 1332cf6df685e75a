package theme

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/flowtui/flowtui/fnf"
)

// Paint is a style split into the escape sequences around its text. Style.Render
// costs microseconds per call (it measures widths, borders, margins); a frame
// needs hundreds of small pieces, so single-line, already sanitised text is
// painted by concatenation instead. Not for styles with padding, width or
// borders.
type Paint struct{ pre, post string }

// PaintOf splits a style.
func PaintOf(s lipgloss.Style) Paint {
	r := s.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return Paint{}
	}
	return Paint{r[:i], r[i+1:]}
}

// Render paints one line.
func (p Paint) Render(s string) string {
	if s == "" || p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// Write paints text into b.
func (p Paint) Write(b *strings.Builder, text []byte) {
	if p.pre == "" && p.post == "" {
		b.Write(text)
		return
	}
	b.WriteString(p.pre)
	b.Write(text)
	b.WriteString(p.post)
}

// WriteString paints text into b.
func (p Paint) WriteString(b *strings.Builder, text string) {
	if p.pre == "" && p.post == "" {
		b.WriteString(text)
		return
	}
	b.WriteString(p.pre)
	b.WriteString(text)
	b.WriteString(p.post)
}

// Paints are the theme's styles ready for concatenation.
type Paints struct {
	Text, Muted, Subtle, Accent, Bold          Paint
	Success, Failure, Warning, Selected, Match Paint
	Title, FocusedTitle, Edge, FocusedEdge     Paint
	HelpKey, HelpDesc, KeyHint                 Paint
	status                                     map[fnf.Status]Paint
	otherStatus                                Paint
}

// Status paints a status as Styles.StatusStyle does.
func (p Paints) Status(status fnf.Status) Paint {
	if s, ok := p.status[status]; ok {
		return s
	}
	return p.otherStatus
}

func newPaints(st *Styles) Paints {
	edge := func(s lipgloss.Style) Paint {
		if st.NoColor {
			return Paint{}
		}
		return PaintOf(lipgloss.NewStyle().Foreground(s.GetBorderTopForeground()))
	}
	status := map[fnf.Status]Paint{}
	for _, s := range fnf.Statuses() {
		status[s] = PaintOf(st.StatusStyle(s))
	}
	return Paints{
		status: status, otherStatus: PaintOf(st.StatusStyle("")),
		Text: PaintOf(st.Text), Muted: PaintOf(st.Muted), Subtle: PaintOf(st.Subtle), Accent: PaintOf(st.Accent),
		Bold: PaintOf(st.Bold), Success: PaintOf(st.Success), Failure: PaintOf(st.Failure), Warning: PaintOf(st.Warning),
		Selected: PaintOf(st.Selected), Match: PaintOf(st.Match), Title: PaintOf(st.Title),
		FocusedTitle: PaintOf(st.FocusedTitle), Edge: edge(st.Pane), FocusedEdge: edge(st.FocusedPane),
		HelpKey: PaintOf(st.HelpKey), HelpDesc: PaintOf(st.HelpDesc), KeyHint: PaintOf(st.KeyHint),
	}
}
