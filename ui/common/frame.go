package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/theme"
)

// Frame draws a pane: a rounded border of exactly width × height cells with the
// title set into the top border and an optional footer into the bottom one,
// around body, which is cut or padded to the inner size. Lines are truncated by
// display width, so wide characters and styled text keep the borders straight.
func Frame(st *theme.Styles, title, footer, body string, width, height int, focused bool) string {
	if width < 4 || height < 2 {
		return ""
	}
	border, titleStyle := st.Pane, st.Title
	if focused {
		border, titleStyle = st.FocusedPane, st.FocusedTitle
	}
	b := border.GetBorderStyle()
	edge := border.UnsetBorderStyle().UnsetPadding().UnsetMargins().Foreground(border.GetBorderTopForeground())
	if st.NoColor {
		edge = edge.UnsetForeground()
	}
	inner := width - 2

	var out strings.Builder
	out.Grow((width + 8) * height)
	out.WriteString(edge.Render(b.TopLeft))
	out.WriteString(rule(edge, titleStyle, b.Top, title, inner))
	out.WriteString(edge.Render(b.TopRight))
	out.WriteByte('\n')

	lines := strings.Split(body, "\n")
	side := edge.Render(b.Left)
	sideR := edge.Render(b.Right)
	for i := 0; i < height-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		out.WriteString(side)
		out.WriteString(Fit(line, inner))
		out.WriteString(sideR)
		out.WriteByte('\n')
	}
	out.WriteString(edge.Render(b.BottomLeft))
	out.WriteString(rule(edge, st.Muted, b.Bottom, footer, inner))
	out.WriteString(edge.Render(b.BottomRight))
	return out.String()
}

// rule is a border line of n cells with text set into it after one cell.
func rule(edge, textStyle interface{ Render(...string) string }, ch, text string, n int) string {
	if text == "" || n < 5 {
		return edge.Render(strings.Repeat(ch, n))
	}
	text = ansi.Truncate(text, n-3, "…")
	w := ansi.StringWidth(text)
	return edge.Render(ch+" ") + textStyle.Render(text) + edge.Render(" "+strings.Repeat(ch, max(0, n-w-3)))
}

// Fit cuts or pads a line to exactly w cells.
func Fit(line string, w int) string {
	lw := ansi.StringWidth(line)
	if lw > w {
		line = ansi.Truncate(line, w, "…")
		lw = ansi.StringWidth(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}
