// Package statusbar is the bottom line: what flowtui talks to, the state of
// the run, a short message, and the key hints of the focused pane. Every
// message and run state it is given is also kept, with its time and level, in
// a log that the message-log dialog shows in full.
package statusbar

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
)

// MaxLog bounds the message log; the oldest entries go first.
const MaxLog = 1000

// Entry is one message of the log, sanitised (line ends kept).
type Entry struct {
	At   time.Time
	Err  bool
	Text string
}

// Model holds what the bar shows; the root sets it.
type Model struct {
	c       *common.Common
	width   int
	backend string // "local · demo flows", "cloud · dev · cn-hangzhou"
	run     string // "running order-flow 3.2 s", "Succeeded · 132 ms"
	runErr  bool
	message string
	msgErr  bool

	help    key.Binding   // shown whatever the width
	log     key.Binding   // the message log's key: comes forward when a message is cut
	hints   []key.Binding // most useful first; the last ones drop first
	entries []Entry
}

// New returns an empty bar.
func New(c *common.Common) Model { return Model{c: c} }

// SetSize sets the width; the bar is one line.
func (m *Model) SetSize(w int) { m.width = w }

// SetBackend describes the backend.
func (m *Model) SetBackend(s string) { m.backend = sanitize.Line(s) }

// SetRun describes the run state; failed colours it. It is logged.
func (m *Model) SetRun(s string, failed bool) {
	m.run, m.runErr = sanitize.Line(s), failed
	m.record(s, failed)
}

// SetMessage shows a short message until the next one; "" clears it. It is
// logged, in full.
func (m *Model) SetMessage(s string, isErr bool) {
	m.message, m.msgErr = sanitize.Line(s), isErr
	m.record(s, isErr)
}

func (m *Model) record(s string, isErr bool) {
	if s == "" {
		return
	}
	if len(m.entries) >= MaxLog {
		m.entries = append(m.entries[:0:0], m.entries[len(m.entries)-MaxLog+1:]...)
	}
	m.entries = append(m.entries, Entry{At: m.c.Now(), Err: isErr, Text: sanitize.Text(s)})
}

// Log is every message so far, oldest first.
func (m Model) Log() []Entry { return m.entries }

// SetHints sets the key hints: help is always shown, at the right end; log
// (the message log's key) comes third in priority when the message is cut,
// else last; hints are in priority order, most useful first.
func (m *Model) SetHints(help, log key.Binding, hints []key.Binding) {
	m.help, m.log, m.hints = help, log, hints
}

// View renders the bar at its width: left the backend, the message and the
// run state; right the hints. The hints get the room the left does not need,
// and more than half the bar when both are long; the least useful hints drop
// first, the help key never; the left is cut to what remains (the message
// log holds it in full).
func (m Model) View() string {
	if m.width < 1 {
		return ""
	}
	st := m.c.Styles
	sep := st.Subtle.Render(" · ")
	var rest []string
	// The message first: it answers what the user just did; the run state
	// stays on screen anyway.
	if m.message != "" {
		s := st.Muted
		if m.msgErr {
			s = st.Failure
		}
		rest = append(rest, s.Render(m.message))
	}
	if m.run != "" {
		s := st.StatusBar
		if m.runErr {
			s = st.Failure
		}
		rest = append(rest, s.Render(m.run))
	}
	left := func(backendW int) string {
		parts := rest
		if m.backend != "" {
			b, _ := common.Truncate(m.backend, backendW)
			parts = append([]string{st.Accent.Render(b)}, rest...)
		}
		return " " + strings.Join(parts, sep)
	}
	l := left(ansi.StringWidth(m.backend))
	lw := ansi.StringWidth(l)
	room := m.width - 2 // a space at the right end and one between the sides
	budget := room - min(lw, room*2/5)
	hints := m.hints
	if m.log.Enabled() {
		at := len(hints)
		if lw > room-m.hintsWidth(budget, m.hints) {
			at = min(2, at) // the message is cut: say where it is in full
		}
		hints = append(append(append([]key.Binding{}, hints[:at]...), m.log), hints[at:]...)
	}
	r := m.renderHints(budget, hints)
	rw := ansi.StringWidth(r)
	if avail := m.width - rw - 2; lw > avail && m.backend != "" {
		// The backend gives way to the message, down to a short stub.
		restW := lw - ansi.StringWidth(m.backend)
		l = left(max(16, avail-restW))
		lw = ansi.StringWidth(l)
	}
	if lw > m.width-rw-2 {
		l = ansi.Truncate(l, max(0, m.width-rw-2), "…")
		lw = ansi.StringWidth(l)
	}
	gap := max(1, m.width-lw-rw-1)
	return common.Fit(l+strings.Repeat(" ", gap)+r+" ", m.width)
}

// hintsWidth is the width the hints take within budget.
func (m Model) hintsWidth(budget int, hints []key.Binding) int {
	return ansi.StringWidth(m.renderHints(budget, hints))
}

// renderHints takes hints in priority order while they fit the budget (the
// first that does not fit ends the list), then the help key.
func (m Model) renderHints(budget int, hints []key.Binding) string {
	st := m.c.Styles
	const sep = "  " // the keys are set apart by their style; narrow, to fit more at 80
	one := func(h key.Binding) string {
		return st.HelpKey.Render(h.Help().Key) + " " + st.KeyHint.Render(h.Help().Desc)
	}
	help := ""
	if m.help.Enabled() && m.help.Help().Key != "" {
		help = one(m.help)
	}
	used := ansi.StringWidth(help)
	var parts []string
	for _, h := range hints {
		if !h.Enabled() || h.Help().Key == "" {
			continue
		}
		s := one(h)
		w := ansi.StringWidth(s) + ansi.StringWidth(sep)
		if used+w > budget {
			break
		}
		parts = append(parts, s)
		used += w
	}
	if help != "" {
		parts = append(parts, help)
	}
	return strings.Join(parts, sep)
}
