// Package statusbar is the bottom line: what flowtui talks to, the state of
// the run, a short message, and the key hints of the focused pane.
package statusbar

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/sanitize"
)

// Model holds what the bar shows; the root sets it.
type Model struct {
	c       *common.Common
	width   int
	backend string // "local · demo flows", "cloud · dev · cn-hangzhou"
	run     string // "running order-flow 3.2 s", "Succeeded · 132 ms"
	runErr  bool
	message string
	msgErr  bool
	hints   []key.Binding
}

// New returns an empty bar.
func New(c *common.Common) Model { return Model{c: c} }

// SetSize sets the width; the bar is one line.
func (m *Model) SetSize(w int) { m.width = w }

// SetBackend describes the backend.
func (m *Model) SetBackend(s string) { m.backend = sanitize.Line(s) }

// SetRun describes the run state; failed colours it.
func (m *Model) SetRun(s string, failed bool) { m.run, m.runErr = sanitize.Line(s), failed }

// SetMessage shows a short message until the next one.
func (m *Model) SetMessage(s string, isErr bool) { m.message, m.msgErr = sanitize.Line(s), isErr }

// SetHints sets the key hints shown at the right.
func (m *Model) SetHints(h []key.Binding) { m.hints = h }

// View renders the bar at its width: left the backend, the run and the
// message; right the hints, cut first when space runs out.
func (m Model) View() string {
	st := m.c.Styles
	var left []string
	if m.backend != "" {
		left = append(left, st.Accent.Render(m.backend))
	}
	// The message first: it answers what the user just did; the run state
	// stays on screen anyway.
	if m.message != "" {
		s := st.Muted
		if m.msgErr {
			s = st.Failure
		}
		left = append(left, s.Render(m.message))
	}
	if m.run != "" {
		s := st.StatusBar
		if m.runErr {
			s = st.Failure
		}
		left = append(left, s.Render(m.run))
	}
	l := " " + strings.Join(left, st.Subtle.Render(" · "))
	var hints []string
	for _, h := range m.hints {
		if h.Enabled() && h.Help().Key != "" {
			hints = append(hints, st.HelpKey.Render(h.Help().Key)+" "+st.KeyHint.Render(h.Help().Desc))
		}
	}
	room := m.width - ansi.StringWidth(l) - 2
	r := ""
	for i := range hints {
		cand := strings.Join(hints[:i+1], st.Subtle.Render(" · "))
		if ansi.StringWidth(cand) > room {
			break
		}
		r = cand
	}
	gap := m.width - ansi.StringWidth(l) - ansi.StringWidth(r) - 1
	if gap < 1 {
		return common.Fit(l, m.width)
	}
	return l + strings.Repeat(" ", gap) + r + " "
}
