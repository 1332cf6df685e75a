// Package flows is the Flows pane: it lists every flow of the backend, filters
// them, and says which one is under the cursor. The root reads Selected after
// every key it hands the pane, so that a selection never travels through a
// command that a later key could overtake.
package flows

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Loading says the root has started listing the flows: the pane shows a
// spinner until the matching msgs.FlowsLoaded arrives.
type Loading struct{}

// maxFlowErrBytes is how much of an invalid flow's error is kept for its
// row (two lines of it are shown).
const maxFlowErrBytes = 512

// row is what the list shows of a flow, sanitised once when the flows load.
type row struct {
	name, desc, err string
	mode            string // fnf.ModeStandard (legacy FDL flows too) or ModeExpress; "" for a flow that does not load
}

// Model is the Flows pane.
type Model struct {
	common *common.Common
	keys   *KeyMap
	spin   spinner.Model
	width  int
	height int
	common.FocusState

	gen      int  // the newest load answered
	loaded   bool // a load has answered at least once
	loading  bool
	err      error
	errLines []string // the error, sanitised and wrapped to the width

	flows   []fnf.Flow
	rows    []row // parallel to flows
	visible []int // indexes into flows of the listed rows, in order
	cursor  int   // index into visible
	offset  int   // first listed row on screen

	filtering bool   // the filter is being typed
	filter    string // the filter text, printable runes only
	q         query  // filter, read

	selected string // the flow the cursor last rested on, kept across reloads and filters
	hasSel   bool
}

// New returns an empty Flows pane.
func New(c *common.Common) Model {
	k := DefaultKeyMap()
	return Model{common: c, keys: &k, spin: newSpinner()}
}

func newSpinner() spinner.Model { return spinner.New(spinner.WithSpinner(spinner.MiniDot)) }

// Init does nothing: the root starts the first load.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the outer size of the pane, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.wrapErr()
	m.ensureVisible()
}

// KeyMap is the pane's keys.
func (m Model) KeyMap() *KeyMap { return m.keys }

// Capturing is true while the filter is being typed: every printable key is
// text then, not a global key.
func (m Model) Capturing() bool { return m.filtering }

// Clearable reports whether esc has something to clear here (a filter typed
// or applied), so that the root hands esc to the pane before it stops a run.
func (m Model) Clearable() bool { return m.filtering || m.filter != "" }

// Filter returns the filter text ("" when none).
func (m Model) Filter() string { return m.filter }

// Selected returns the flow under the cursor.
func (m Model) Selected() (fnf.Flow, bool) {
	if m.err != nil || m.cursor >= len(m.visible) {
		return fnf.Flow{}, false
	}
	return m.flows[m.visible[m.cursor]], true
}

// Update handles the pane's keys (only when focused) and the broadcast
// messages it cares about.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case Loading:
		if m.loading {
			return m, nil
		}
		m.loading = true
		m.spin = newSpinner() // a fresh id: ticks of an earlier load are ignored
		return m, m.spin.Tick
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case msgs.FlowsLoaded:
		if msg.Gen < m.gen {
			return m, nil
		}
		m.gen, m.loaded, m.loading = msg.Gen, true, false
		m.err = msg.Err
		m.wrapErr()
		if msg.Err != nil {
			return m, nil
		}
		m.setFlows(msg.Flows)
		m.remember()
		return m, nil
	case tea.PasteMsg:
		if m.filtering {
			m.setFilter(m.filter + printable(msg.Content))
			m.remember()
		}
	case tea.KeyPressMsg:
		if m.filtering {
			return m.filterKey(msg)
		}
		return m.listKey(msg)
	}
	return m, nil
}

// listKey handles a key while the filter is not being typed.
func (m Model) listKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.Reload) {
		return m, func() tea.Msg { return msgs.ReloadFlows{} }
	}
	if m.err != nil {
		return m, nil
	}
	page := max(1, m.listHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		m.moveTo(m.cursor - 1)
	case key.Matches(msg, k.Down):
		m.moveTo(m.cursor + 1)
	case key.Matches(msg, k.PageUp):
		m.moveTo(m.cursor - page)
	case key.Matches(msg, k.PageDown):
		m.moveTo(m.cursor + page)
	case key.Matches(msg, k.Home):
		m.moveTo(0)
	case key.Matches(msg, k.End):
		m.moveTo(len(m.visible) - 1)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.ensureVisible()
		return m, nil
	case key.Matches(msg, k.ClearFilter):
		if m.filter == "" {
			return m, nil
		}
		m.setFilter("")
	default:
		return m, nil
	}
	m.remember()
	return m, nil
}

// filterKey handles a key while the filter is being typed.
func (m Model) filterKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.ClearFilter):
		m.filtering = false
		m.setFilter("")
	case key.Matches(msg, k.AcceptFilter):
		m.filtering = false
		m.ensureVisible()
	case key.Matches(msg, k.DeleteChar):
		if r := []rune(m.filter); len(r) > 0 {
			m.setFilter(string(r[:len(r)-1]))
		}
	case key.Matches(msg, k.ClearText):
		m.setFilter("")
	case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0:
		if t := printable(msg.Text); t != "" {
			m.setFilter(m.filter + t)
		}
	case key.Matches(msg, k.Up):
		m.moveTo(m.cursor - 1)
	case key.Matches(msg, k.Down):
		m.moveTo(m.cursor + 1)
	case key.Matches(msg, k.PageUp):
		m.moveTo(m.cursor - max(1, m.listHeight()-1))
	case key.Matches(msg, k.PageDown):
		m.moveTo(m.cursor + max(1, m.listHeight()-1))
	default:
		return m, nil
	}
	m.remember()
	return m, nil
}

// printable drops control characters from typed or pasted filter text.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// setFlows replaces the list, keeping the cursor on the selected flow when it
// is still there.
func (m *Model) setFlows(flows []fnf.Flow) {
	m.flows = flows
	m.rows = make([]row, len(flows))
	for i, f := range flows {
		m.rows[i] = row{
			name: sanitize.Line(f.Name),
			desc: sanitize.Line(f.Description),
			err:  sanitize.Line(common.Clip(f.Error, maxFlowErrBytes)),
		}
		if f.Error == "" {
			m.rows[i].mode = f.Mode()
		}
	}
	m.visible = filterRows(m.rows, m.q)
	if !m.hasSel || !m.cursorTo(m.selected) {
		m.cursor = min(m.cursor, max(0, len(m.visible)-1))
	}
	m.ensureVisible()
}

// setFilter applies a new filter: the best match is selected, or, when the
// filter is cleared, the flow selected before.
func (m *Model) setFilter(f string) {
	m.filter = f
	m.q = parseQuery(f)
	m.visible = filterRows(m.rows, m.q)
	m.cursor, m.offset = 0, 0
	if f == "" && m.hasSel {
		m.cursorTo(m.selected)
	}
	m.ensureVisible()
}

// cursorTo puts the cursor on the listed flow called name.
func (m *Model) cursorTo(name string) bool {
	for i, fi := range m.visible {
		if m.flows[fi].Name == name {
			m.cursor = i
			return true
		}
	}
	return false
}

// moveTo puts the cursor on row i, clamped to the list.
func (m *Model) moveTo(i int) {
	m.cursor = max(0, min(i, len(m.visible)-1))
	m.ensureVisible()
}

// remember notes the flow under the cursor, so that a reload or a cleared
// filter puts the cursor back on it.
func (m *Model) remember() {
	if f, ok := m.Selected(); ok {
		m.selected, m.hasSel = f.Name, true
	}
}
