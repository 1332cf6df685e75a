package app

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/keys"
)

// size is a pane's outer size, border included.
type size struct{ w, h int }

// layout gives each pane its size: Flows over Runs on the left, Input over
// Result on the right, the status bar below; zoomed, the focused pane takes
// the whole body. A pane is told only when its size changed, so that a zoom
// or a resize re-wraps each pane's content once.
func (m *Model) layout() {
	if m.width < MinWidth || m.height < MinHeight {
		return
	}
	want := m.paneSizes()
	ps := m.panes()
	for p, s := range want {
		if s != m.sizes[p] {
			ps[p].SetSize(s.w, s.h)
			m.sizes[p] = s
		}
	}
	m.status.SetSize(m.width)
	m.pick.SetSize(m.width, m.height)
}

// paneSizes is the size of each pane on the screen as it is now. The panes a
// zoom hides keep their place in the layout, so that restoring it resizes
// only the zoomed one.
func (m *Model) paneSizes() [paneCount]size {
	body := m.height - 1
	left := min(max(m.width*3/10, 24), 40)
	right := m.width - left
	flowsH := body * 3 / 5
	inputH := max(7, body*2/5)
	var s [paneCount]size
	s[paneFlows] = size{left, flowsH}
	s[paneRuns] = size{left, body - flowsH}
	s[paneInput] = size{right, inputH}
	s[paneResult] = size{right, body - inputH}
	if m.zoomed {
		s[m.focus] = size{m.width, body}
	}
	return s
}

// body is the screen above the status bar: the four panes, or the zoomed one.
func (m Model) body() string {
	if m.zoomed {
		return m.panes()[m.focus].View()
	}
	left := m.flows.View() + "\n" + m.runs.View()
	right := m.input.View() + "\n" + m.result.View()
	return joinColumns(left, right)
}

// toggleZoom maximises the focused pane, or restores the layout. The zoom
// follows the focus, as lazygit's full screen does: tab while zoomed shows
// the next pane zoomed (setFocus lays out again).
func (m *Model) toggleZoom() {
	m.zoomed = !m.zoomed
	m.layout()
	m.updateHints()
}

// zoomTitle is the palette's entry for the zoom key.
func (m *Model) zoomTitle() string {
	if m.zoomed {
		return "Restore the layout (" + m.panes()[m.focus].title + " is zoomed)"
	}
	return "Zoom " + m.panes()[m.focus].title + " to the whole screen"
}

// zoomHint is the zoom key as the status bar shows it: "zoom pane", or, while
// zoomed, what restores the layout (it then comes first, as the state the
// screen is in). typing: the focused pane takes typed text, so + is text.
func (m *Model) zoomHint(typing bool) key.Binding {
	z := keys.Usable(m.c.Keys.Zoom, typing)
	if m.zoomed {
		z.SetHelp(z.Help().Key, "zoomed: restore")
	} else if k := z.Help().Key; k != "" {
		z.SetHelp(k, "zoom")
	}
	return z
}

// joinColumns puts two blocks of lines side by side; both are drawn at their
// exact sizes, so no padding is needed.
func joinColumns(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	n := max(len(la), len(lb))
	var out strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			out.WriteByte('\n')
		}
		if i < len(la) {
			out.WriteString(la[i])
		}
		if i < len(lb) {
			out.WriteString(lb[i])
		}
	}
	return out.String()
}
