// Package runs is the Runs pane: the history of the selected flow, newest
// first, beside the backend's executions of it (ListExecutions, a page at a
// time). It opens, reuses, diffs and pins past runs by asking the root.
package runs

import (
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Pinned says the history now has run HistoryID pinned (or not): the answer
// to msgs.PinRequested, sent by the root.
type Pinned struct {
	HistoryID int64
	Pinned    bool
}

// LoadInputOf asks the root to load the input of run HistoryID from the
// history and send it to the editor as msgs.LoadInput.
type LoadInputOf struct{ HistoryID int64 }

// Model is the Runs pane. The runs of a load are kept as received and never
// copied; runs finished since are kept apart, so showing one at the top costs
// nothing in proportion to the history.
type Model struct {
	common *common.Common
	keys   *KeyMap
	width  int
	height int
	common.FocusState

	flow     string // the selected flow; "" before any
	mode     string // its execution mode (fnf.ModeStandard, fnf.ModeExpress)
	loading  bool
	err      error
	errLines []string

	loaded []msgs.RunView // the history of flow, newest first, as loaded
	fresh  []msgs.RunView // runs finished since, oldest first; shown above loaded
	pins   map[int64]bool // pin changes since the load, by HistoryID; copied on write
	cursor int
	offset int

	svc     service         // the backend's executions of flow
	rows    []*msgs.RunView // loaded and svc merged, newest first; nil without svc rows
	both    map[int64]bool  // history IDs the service lists too
	running []string        // names of the service's rows still running
	lastSvc int             // the index in rows of the oldest service row; -1 for none
	backend fnf.Info        // the backend in use: the executions it can describe

	filtering  bool           // the filter is being typed
	filterText string         // the filter being typed
	filterErr  string         // why the typed filter was refused
	applied    string         // the filter the rows answer; "" for none
	query      history.Filter // applied, as the history reads it
	queryName  string         // the name prefix applied (name:)
	queryGen   int            // the query awaited; the answers of others are dropped
	querying   bool
}

// New returns an empty Runs pane.
func New(c *common.Common) Model {
	k := DefaultKeyMap()
	return Model{common: c, keys: &k, lastSvc: -1}
}

// Init does nothing: runs load when a flow is selected.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the outer size of the pane, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.wrapErr()
	m.ensureVisible()
}

// KeyMap is the pane's keys.
func (m Model) KeyMap() *KeyMap { return m.keys }

// Capturing is true while the filter is typed: keys are text.
func (m Model) Capturing() bool { return m.filtering }

// Clearable reports whether esc has something to clear here (a filter typed
// or applied), so that the root hands esc to the pane before it stops a run.
func (m Model) Clearable() bool { return m.filtering || m.applied != "" }

// Filter is the filter the rows answer ("" when none).
func (m Model) Filter() string { return m.applied }

// Flow is the flow whose runs the pane shows.
func (m Model) Flow() string { return m.flow }

// Len is how many runs are listed.
func (m Model) Len() int {
	if m.rows != nil {
		return len(m.fresh) + len(m.rows)
	}
	return len(m.fresh) + len(m.loaded)
}

// at returns the run on row i (0 is the newest).
func (m Model) at(i int) *msgs.RunView {
	if i < len(m.fresh) {
		return &m.fresh[len(m.fresh)-1-i]
	}
	if m.rows != nil {
		return m.rows[i-len(m.fresh)]
	}
	return &m.loaded[i-len(m.fresh)]
}

// Selected returns the run under the cursor (none while loading or showing
// an error).
func (m Model) Selected() (msgs.RunView, bool) {
	if m.loading || m.err != nil || m.cursor >= m.Len() {
		return msgs.RunView{}, false
	}
	v := *m.at(m.cursor)
	v.Pinned = m.pinned(&v)
	return v, true
}

// pinned says whether run v is pinned, with the changes received since the load.
func (m Model) pinned(v *msgs.RunView) bool {
	if p, ok := m.pins[v.ID]; ok {
		return p
	}
	return v.Pinned
}

// Update handles the pane's keys (only when focused) and the broadcast
// messages it cares about.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case msgs.FlowSelected:
		if msg.Flow.Name == m.flow && m.flow != "" {
			// The same flow again (another backend, a new definition): the
			// service's executions are listed afresh; the rows stay until then.
			m.mode = msg.Flow.Mode()
			return m, m.relist(m.mode)
		}
		m.flow, m.mode, m.loading, m.err, m.errLines = msg.Flow.Name, msg.Flow.Mode(), true, nil, nil
		m.loaded, m.fresh, m.pins = nil, nil, nil
		m.cursor, m.offset = 0, 0
		// The filter was for the other flow's runs.
		m.filtering, m.filterText, m.filterErr, m.applied, m.query, m.querying = false, "", "", "", history.Filter{}, false
		m.queryName = ""
		m.queryGen++
		m.svc.runs, m.svc.live = nil, nil
		m.rebuild() // nothing of the other flow's
		return m, m.relist(m.mode)
	case msgs.ExecutionsListed:
		return m, m.listed(msg)
	case msgs.ExecutionsDescribed:
		return m, m.described(msg)
	case refreshTick:
		return m, m.ticked(msg)
	case msgs.RunsLoaded:
		if msg.Flow != m.flow || m.flow == "" {
			return m, nil
		}
		m.load(msg)
		return m, m.tick()
	case msgs.RunFinished:
		if m.applied != "" && msg.View.FlowName == m.flow && msg.View.ID != 0 {
			return m, ask(m.requery()) // whether it matches is the history's to say
		}
		m.finished(msg.View)
		return m, m.added(&msg.View)
	case msgs.RunProgress:
		// A Standard run followed live is recorded at its start: its row
		// shows, Running, while it is followed.
		if m.applied == "" {
			m.finished(msg.View)
		}
		return m, m.added(&msg.View)
	case Queried:
		m.queried(msg)
	case tea.PasteMsg:
		if m.filtering {
			m.filterText += printable(msg.Content)
		}
	case Pinned:
		m.pins = maps.Clone(m.pins)
		if m.pins == nil {
			m.pins = make(map[int64]bool, 1)
		}
		m.pins[msg.HistoryID] = msg.Pinned
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

// load shows a loaded history, keeping the runs finished meanwhile that it
// does not hold yet, and the cursor on the same run when it is still there.
func (m *Model) load(msg msgs.RunsLoaded) {
	var keep int64
	if v, ok := m.Selected(); ok {
		keep = v.ID
	}
	m.loading, m.err = false, msg.Err
	m.wrapErr()
	if msg.Err != nil {
		m.loaded, m.fresh, m.pins = nil, nil, nil
		m.rebuild()
		m.cursor, m.offset = 0, 0
		return
	}
	m.loaded, m.pins = msg.Runs, nil
	if len(m.loaded) > 0 {
		newest := m.loaded[0].ID
		m.fresh = slices.DeleteFunc(slices.Clone(m.fresh), func(v msgs.RunView) bool { return v.ID <= newest })
	}
	m.rebuild()
	m.cursor = 0
	for i := range m.Len() {
		if keep != 0 && m.at(i).ID == keep {
			m.cursor = i
			break
		}
	}
	m.ensureVisible()
}

// finished puts a run of the shown flow that the history recorded at the top.
func (m *Model) finished(v msgs.RunView) {
	if v.ID == 0 || m.flow == "" || v.FlowName != m.flow {
		return
	}
	if m.replace(v) {
		return // a Standard run's row, Running until it ends: one row, updated
	}
	if len(m.loaded) > 0 && v.ID <= m.loaded[0].ID {
		return // the load has it
	}
	for i := range m.fresh {
		if m.fresh[i].ID == v.ID {
			return
		}
	}
	m.fresh = append(m.fresh[:len(m.fresh):len(m.fresh)], v)
	if v.Mode == fnf.ModeStandard && len(m.svc.runs) > 0 {
		m.rebuild() // the service may list it: one row, marked as both
	}
	if m.cursor > 0 { // keep the cursor, and the screen, on the same runs
		m.cursor++
		if m.offset > 0 {
			m.offset++
		}
	}
	m.ensureVisible()
}

// handleKey moves the cursor or asks the root to act on the run under it.
func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.filtering {
		return m.filterKey(msg)
	}
	page := max(1, m.listHeight()-1)
	switch {
	case key.Matches(msg, k.Filter) && m.flow != "":
		m.startFilter()
	case key.Matches(msg, k.ClearFilter) && m.applied != "":
		q := m.clearFilter()
		return m, tea.Batch(ask(q), m.relist(m.mode))
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
		m.moveTo(m.Len() - 1)
	case key.Matches(msg, k.Open, k.LoadInput, k.Diff, k.Pin):
		if out, ok := m.Request(msg); ok {
			return m, func() tea.Msg { return out }
		}
	}
	return m, m.more(false)
}

// Request is what a key asks of the root about the run under the cursor
// (open it, reuse its input, diff it, pin it), decided from the pane as it is
// now; the root calls it when it reads the key, so that no later key can
// overtake the request.
func (m Model) Request(msg tea.KeyPressMsg) (tea.Msg, bool) {
	k := m.keys
	if !key.Matches(msg, k.Open, k.LoadInput, k.Diff, k.Pin) {
		return nil, false
	}
	v, ok := m.Selected()
	if !ok {
		return nil, false
	}
	// The service's rows open from the service (a run this machine
	// recorded does too, while the history has not seen it end).
	backend := v.Origin == msgs.OriginBackend || m.stale(&v)
	switch id := v.ID; {
	case key.Matches(msg, k.Open) && backend:
		return msgs.OpenExecution{Flow: v.FlowName, Name: v.Name}, true
	case key.Matches(msg, k.LoadInput) && id == 0 && backend:
		return msgs.LoadExecutionInput{Flow: v.FlowName, Name: v.Name}, true
	case id == 0:
		return nil, false
	case key.Matches(msg, k.Open):
		return msgs.OpenRun{HistoryID: id}, true
	case key.Matches(msg, k.LoadInput):
		return LoadInputOf{HistoryID: id}, true
	case key.Matches(msg, k.Diff):
		return msgs.DiffRequested{HistoryID: id}, true
	}
	return msgs.PinRequested{HistoryID: v.ID, Pinned: !v.Pinned}, true
}

// filterKey edits the filter being typed.
func (m Model) filterKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.AcceptFilter):
		if q := m.applyFilter(); q.Gen != 0 {
			return m, tea.Batch(ask(q), m.relist(m.mode))
		}
	case key.Matches(msg, k.ClearFilter):
		m.filtering, m.filterText, m.filterErr = false, m.applied, ""
	case key.Matches(msg, k.DeleteChar):
		if r := []rune(m.filterText); len(r) > 0 {
			m.filterText = string(r[:len(r)-1])
		}
	case key.Matches(msg, k.ClearText):
		m.filterText = ""
	case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0:
		m.filterText += printable(msg.Text)
	}
	return m, nil
}

// ask sends a query to the root.
func ask(q Query) tea.Cmd { return func() tea.Msg { return q } }

// printable drops control characters from typed or pasted filter text.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}

// moveTo puts the cursor on row i, clamped to the list.
func (m *Model) moveTo(i int) {
	m.cursor = max(0, min(i, m.Len()-1))
	m.ensureVisible()
}

// ensureVisible scrolls so the cursor's row is on screen.
func (m *Model) ensureVisible() {
	h := m.listHeight()
	if h <= 0 {
		m.offset = 0
		return
	}
	m.offset = max(m.cursor-h+1, min(m.offset, m.cursor))
	m.offset = max(0, min(m.offset, m.Len()-h))
}

// replace shows v in place of the row of its history ID, if one is listed:
// a Standard run's row is written at its start and updated at its end.
func (m *Model) replace(v msgs.RunView) bool {
	for _, list := range []*[]msgs.RunView{&m.fresh, &m.loaded} {
		for i := range *list {
			if (*list)[i].ID == v.ID {
				*list = slices.Clone(*list) // the slices may be shared with a message
				(*list)[i] = v
				if len(m.svc.runs) > 0 {
					m.rebuild()
				}
				return true
			}
		}
	}
	return false
}
