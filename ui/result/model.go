// Package result is the Result pane: the run in flight, or the run shown, in
// tabs — the output pretty-printed and highlighted (with search and a jq
// filter), the error explained, the timings, the local engine's trace, the
// flow's definition, and a diff between two runs' outputs.
//
// Formatting is done in commands and cached: View only lays out cached lines,
// and only the lines it shows are wrapped. Every result of a command carries a
// sequence number; one that is no longer awaited is dropped.
package result

import (
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/timeline"
)

type tabID int

const (
	tabOutput tabID = iota
	tabError
	tabTiming
	tabTrace
	tabDefinition
	tabDiff
	tabCount
)

func (t tabID) String() string {
	switch t {
	case tabOutput:
		return "Output"
	case tabError:
		return "Error"
	case tabTiming:
		return "Timing"
	case tabTrace:
		return "Trace"
	case tabDefinition:
		return "Definition"
	case tabDiff:
		return "Diff"
	}
	return "?"
}

// HighlightLimit is the largest output that is highlighted; larger ones are
// shown plain (still pretty-printed and wrapped).
const HighlightLimit = 1 << 20

// Model is the Result pane.
type Model struct {
	common *common.Common
	keys   *KeyMap
	loc    *time.Location // the local time of the Timing tab
	width  int
	height int
	common.FocusState
	tab tabID

	inflight int64 // the run waited for; 0 when none
	flow     string
	started  time.Time
	backend  string        // the kind of backend the run went to (fnf.KindLocal…)
	waited   time.Duration // how long the cancelled run was waited for
	stopped  bool          // the run in flight was stopped: notice says what became of it
	goesOn   bool          // what was stopped is the wait, not the execution (RunCancelled.Notice)
	notSent  bool          // the run in flight never reached the service: notice says why
	live     bool          // the run shown is the one just made, not one from the history
	spin     spinner.Model
	notice   string // shown instead of a run: a cancelled wait, a run that did not open
	stopHint string // what stops the run waited for, from the focused pane (the root's keys)

	run *msgs.RunView
	// progressed is the live Standard run waited for as last seen (its
	// status and events so far); nil before any progress.
	progressed *msgs.RunView
	seq        int // the last sequence number handed to a command
	pages      [tabCount]pager
	busy       [tabCount]int    // the command preparing each tab's page; 0 when none
	kind       [tabCount]string // what each page holds, for the footer ("JSON", "YAML"…)

	find  finder
	jq    jqState
	trace traceState
	def   defState
	// The Definition tab shows the run's flow (followDef): the flow selected
	// in Flows, the flows known with their definitions, and the run's flow
	// when its definition is not at hand.
	sel      fnf.Flow
	selErr   error
	known    map[string]fnf.Flow
	defOther string
	diff     diffState
}

// finder is the search being typed or applied to the tab's pager.
type finder struct {
	input  lineInput
	typing bool
	tab    tabID
	seq    int // the search command awaited
}

// New returns an empty Result pane.
func New(c *common.Common) Model {
	km := DefaultKeyMap()
	m := Model{
		common: c,
		keys:   &km,
		loc:    time.Local,
		spin: spinner.New(spinner.WithSpinner(spinner.Spinner{
			Frames: spinner.MiniDot.Frames, FPS: 100 * time.Millisecond,
		}), spinner.WithStyle(c.Styles.Accent)),
	}
	m.stopHint = c.Keys.Stop.Help().Key + " stops waiting"
	m.find.input = lineInput{prompt: "/", placeholder: "search"}
	m.jq.input = lineInput{prompt: "jq ", placeholder: ".items | length"}
	m.setEmpty()
	return m
}

// Init starts nothing: the pane waits for runs.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the size View draws, borders included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	cw, ch := m.contentSize()
	for t := range m.pages {
		m.pages[t].clamp(cw, ch)
	}
	m.jq.page.clamp(cw, ch)
	m.diff.split.clamp(cw, ch)
	m.trace.page.clamp(cw, ch)
	if m.trace.tl != nil {
		m.trace.view.Sync(m.trace.tl, m.rowsHeight()) // the window follows the cursor
	}
}

// SetStopHint sets what the running line says stops the run ("esc stops
// waiting"): the root routes esc, so the root says.
func (m *Model) SetStopHint(s string) { m.stopHint = s }

// StopHint is what the running line says stops the run.
func (m Model) StopHint() string { return m.stopHint }

// Capturing reports whether keys are text: a search or a jq filter is being
// typed, so q, ?, the digits and esc belong to the pane.
func (m Model) Capturing() bool { return m.find.typing || m.jq.typing }

// Clearable reports whether esc would clear something in the pane (a search,
// a jq filter, the diff), so that the root can hand esc to it.
func (m Model) Clearable() bool {
	p := m.pager()
	return m.Capturing() || p.query != "" || m.tab == tabOutput && m.jq.filter != "" || m.tab == tabDiff ||
		m.tab == tabTrace && m.trace.open
}

// contentSize is the size of the tab's content: the frame's inside less the
// tab bar, and less the input line while typing.
func (m *Model) contentSize() (int, int) {
	h := m.height - 3
	if m.Capturing() {
		h--
	}
	if m.tab == tabTrace && m.trace.open {
		h-- // the line that says which row is open
	}
	return max(1, m.width-2), max(1, h)
}

// pager is the pager the current tab shows.
func (m *Model) pager() *pager {
	switch {
	case m.tab == tabOutput && m.jq.filter != "":
		return &m.jq.page
	case m.tab == tabTrace && m.trace.open:
		return &m.trace.page
	case m.tab == tabDiff && m.sideBySide():
		return &m.diff.split
	}
	return &m.pages[m.tab]
}

// sideBySide reports whether the diff shows two columns: the pane is at
// least 100 columns wide.
func (m *Model) sideBySide() bool { return m.width >= 100 }

// prepare runs build in a command for tab's page; the result is kept only if
// no later command for the tab was started meanwhile.
func (m *Model) prepare(tab tabID, build func() pageReady) tea.Cmd {
	m.seq++
	seq := m.seq
	m.busy[tab] = seq
	return func() tea.Msg {
		r := build()
		r.seq, r.tab = seq, tab
		return r
	}
}

// pageReady is a tab's page, formatted by a command.
type pageReady struct {
	seq  int
	tab  tabID
	page pager
	alt  pager // the diff side by side
	kind string
	tl   *timeline.Timeline // the Trace tab's timeline
}

func (m *Model) pageReady(r pageReady) tea.Cmd {
	if m.busy[r.tab] != r.seq {
		return nil
	}
	m.busy[r.tab] = 0
	m.kind[r.tab] = r.kind
	m.pages[r.tab] = r.page
	cw, ch := m.contentSize()
	switch r.tab {
	case tabTrace:
		m.setTimeline(r.tl)
		if f := r.tl.Failing(); f >= 0 {
			m.trace.view.Show(r.tl, f, m.rowsHeight()) // what a failed run's reader looks for first
		}
	case tabDiff:
		m.diff.split = r.alt
		m.diff.split.clamp(cw, ch)
	}
	m.pages[r.tab].clamp(cw, ch)
	if m.find.tab == r.tab {
		m.find.seq = 0 // a search of the old page is moot
		if m.find.typing {
			return m.search()
		}
	}
	return nil
}
