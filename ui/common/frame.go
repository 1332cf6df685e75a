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
	b, edge, titleP := st.Border, st.Paint.Edge, st.Paint.Title
	if focused {
		b, edge, titleP = st.FocusedBorder, st.Paint.FocusedEdge, st.Paint.FocusedTitle
	}
	inner := width - 2

	var out strings.Builder
	out.Grow((width + 24) * height)
	out.WriteString(edge.Render(b.TopLeft))
	out.WriteString(rule(edge, titleP, b.Top, title, inner))
	out.WriteString(edge.Render(b.TopRight))
	out.WriteByte('\n')

	side, sideR := edge.Render(b.Left), edge.Render(b.Right)
	rows := height - 2
	for i := 0; i < rows; i++ {
		line := ""
		if body != "" {
			nl := strings.IndexByte(body, '\n')
			if nl < 0 {
				line, body = body, ""
			} else {
				line, body = body[:nl], body[nl+1:]
			}
		}
		out.WriteString(side)
		out.WriteString(Fit(line, inner))
		out.WriteString(sideR)
		out.WriteByte('\n')
	}
	out.WriteString(edge.Render(b.BottomLeft))
	out.WriteString(rule(edge, st.Paint.Muted, b.Bottom, footer, inner))
	out.WriteString(edge.Render(b.BottomRight))
	return out.String()
}

// rule is a border line of n cells with text set into it after one cell.
func rule(edge, text theme.Paint, ch, s string, n int) string {
	if s == "" || n < 5 {
		return edge.Render(strings.Repeat(ch, n))
	}
	s = ansi.Truncate(s, n-3, "…")
	w := ansi.StringWidth(s)
	return edge.Render(ch+" ") + text.Render(s) + edge.Render(" "+strings.Repeat(ch, max(0, n-w-3)))
}

// Fit cuts or pads a line to exactly w cells.
func Fit(line string, w int) string {
	lw := width(line)
	if lw > w {
		line = ansi.Truncate(line, w, "…")
		lw = ansi.StringWidth(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}

// width is the display width; printable ASCII, the common case, is measured
// by its length.
// So is printable ASCII styled with SGR sequences (the panes' styled
// rows), which the general measure, walking grapheme clusters, made most of
// a pane's frame.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c >= 0x20 && c < 0x7f:
			n++
			i++
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			j := i + 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++ // parameters
			}
			if j >= len(s) || s[j] != 'm' {
				return ansi.StringWidth(s)
			}
			i = j + 1 // an SGR sequence takes no cell
		default:
			return ansi.StringWidth(s)
		}
	}
	return n
}

// Truncate cuts s to n cells, ending in "…" when it was cut, and returns the
// width of the result; printable ASCII is cut by length.
func Truncate(s string, n int) (string, int) {
	if lw := width(s); lw != len(s) || lw > n {
		if lw <= n {
			return s, lw
		}
		if lw != len(s) {
			t := ansi.Truncate(s, n, "…")
			return t, ansi.StringWidth(t)
		}
	}
	if len(s) <= n {
		return s, len(s)
	}
	if n < 1 {
		return "", 0
	}
	return s[:n-1] + "…", n
}
