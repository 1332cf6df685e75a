package result

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
	"github.com/flowtui/flowtui/ui/timeline"
)

const (
	noTrace     = "no trace: the cloud does not report per-state steps for Express runs"
	notFollowed = "no longer followed — the Standard execution goes on; its events so far are in Trace"
)

// traceState is the Trace tab: the run's timeline (from its events, else its
// steps), the folds and cursor over it, and the detail of the row opened.
//
// The timeline is shared by the copies of the model and grows in Update as
// a live run's progress arrives; commands get copies of what they format.
type traceState struct {
	gen   int // bumps with every run shown; details of older runs are dropped
	tl    *timeline.Timeline
	view  timeline.View
	cache *rowCache
	live  bool // built from a live run's progress

	open   bool  // the detail of row is shown instead of the rows
	row    int   // the row whose detail is shown or awaited
	page   pager // the detail, formatted
	busy   int   // the detail command awaited; 0 when none
	header string
}

// rowCache keeps the rows as rendered, plain and under the cursor, each with
// the version of the row it was made from; View renders only the rows it
// shows and only when they changed.
type rowCache struct {
	nameW int
	rows  map[int]cachedRow
}

type cachedRow struct {
	ver       int
	text, sel string
}

const maxStateCells = 28

// tracePage builds a run's timeline off the event loop: from its events
// when it has any (def, its flow's definition if known, places the states
// of Parallel branches run at once), else from its steps.
func tracePage(v msgs.RunView, def string) pageReady {
	var tl *timeline.Timeline
	if len(v.Events) > 0 {
		tl = timeline.FromEvents(v.Events, timeline.ScopesOf(def))
	} else {
		tl = timeline.FromSteps(v.Steps, failed(v))
	}
	kind := fmt.Sprintf("%d steps", len(v.Steps))
	if len(v.Events) > 0 {
		kind = fmt.Sprintf("%d events", len(v.Events))
	}
	return pageReady{tl: tl, kind: kind}
}

// definitionOf is the definition of flow when it is at hand: of the flows
// known, else of the flow selected.
func (m *Model) definitionOf(flow string) string {
	if flow == "" {
		flow = m.flow // a progress may not name it: the run in flight's
	}
	if f, ok := m.known[flow]; ok && f.Definition != "" {
		return f.Definition
	}
	if m.sel.Name == flow {
		return m.sel.Definition
	}
	return ""
}

// setTimeline shows tl in the Trace tab, the cursor at the top and no row
// open.
func (m *Model) setTimeline(tl *timeline.Timeline) {
	m.trace.tl, m.trace.view = tl, timeline.View{}
	m.trace.open, m.trace.busy, m.trace.page = false, 0, pager{}
	m.trace.cache = &rowCache{rows: map[int]cachedRow{}}
	m.trace.view.Sync(tl, m.rowsHeight())
}

// rowsHeight is the number of rows the window shows under the header.
func (m *Model) rowsHeight() int {
	_, ch := m.contentSize()
	return max(1, ch-1)
}

// progress shows a live Standard execution as last seen: its events so far
// are read into the timeline where it left off (grow).
func (m *Model) progress(v msgs.RunView) tea.Cmd {
	m.progressed = &v
	if len(v.Events) == 0 {
		return nil
	}
	t := &m.trace
	if t.tl == nil || !t.live || !t.tl.Extends(v.Events) {
		if t.tl == nil && m.tab == tabOutput {
			m.tab = tabTrace // a Standard run's output comes at its end
		}
		m.setTimeline(timeline.FromEvents(v.Events, timeline.ScopesOf(m.definitionOf(v.FlowName))))
		t.live = true
		m.kind[tabTrace] = fmt.Sprintf("%d events", len(v.Events))
		return nil
	}
	return m.grow(v.Events)
}

// grow reads the events past those read so far: the cursor and the folds
// stay, only the rows they touch are rendered again, and the row open is
// formatted again when they touch it.
func (m *Model) grow(events []fnf.Event) tea.Cmd {
	t := &m.trace
	changed, _ := t.tl.Add(events)
	t.view.Sync(t.tl, m.rowsHeight())
	m.kind[tabTrace] = fmt.Sprintf("%d events", len(events))
	if t.open && slices.Contains(changed, t.row) {
		return m.formatDetail(t.row, true)
	}
	return nil
}

// traceRows is the Trace tab's window: the header and the rows shown, cut
// at the width.
func (m *Model) traceRows(cw, ch int) []string {
	st, t := m.common.Styles, &m.trace
	nameW := min(t.tl.NameWidth, maxStateCells) + 2
	if t.cache.nameW != nameW {
		t.cache.nameW, t.cache.rows = nameW, map[int]cachedRow{}
	}
	header := "    " + pad("state", nameW-2) + "  " + fmt.Sprintf("%-8s  %8s  %8s  %3s  %-9s  %s", "type", "start", "duration", "try", "outcome", "error / output")
	out := []string{st.Muted.Render(fit(header, cw))}
	v := &t.view
	for k := v.Top; k < len(v.Lines) && len(out) < ch; k++ {
		r := v.Lines[k]
		c, ok := t.cache.rows[r]
		if !ok || c.ver != t.tl.Rows[r].Ver {
			c = renderRow(st, t.tl, r, nameW)
			t.cache.rows[r] = c
		}
		fold := "  "
		if len(t.tl.Rows[r].Children) > 0 {
			fold = "▾ "
			if v.Folded(r) {
				fold = "▸ "
			}
		}
		indent := strings.Repeat("  ", t.tl.Rows[r].Depth)
		if k == v.Cursor {
			out = append(out, fit("› "+indent+fold+c.sel, cw))
		} else {
			out = append(out, fit("  "+indent+fold+c.text, cw))
		}
	}
	return out
}

// renderRow renders row r's cells after its indent and fold mark: name,
// type, start, duration, try, outcome and error.
func renderRow(st *theme.Styles, tl *timeline.Timeline, r, nameW int) cachedRow {
	row := &tl.Rows[r]
	nameCells := max(1, nameW-2-2*row.Depth)
	name := ansi.Truncate(sanitize.Line(tl.Label(r)), nameCells, "…")
	dur := "…"
	if row.Ended {
		dur = common.Duration(row.Duration)
	}
	cols := pad(name, nameCells) + "  " + fmt.Sprintf("%-8s  %8s  %8s  %3d", ansi.Truncate(sanitize.Line(row.Type), 8, "…"),
		"+"+common.Duration(row.Start), dur, row.Attempt)
	outcome := fmt.Sprintf("%-9s", row.Outcome)
	note := ansi.Truncate(sanitize.Line(row.Error), 80, "…")
	if steps := tl.Steps(); row.Error == "" && row.Step >= 0 && row.Step < len(steps) {
		note = summarize(steps[row.Step].Output) // as the trace of an Express run always showed
	} else if row.Error == "" && row.Kind == timeline.State && row.Ended {
		note = summarize(tl.Output(r)) // a Standard execution's, from its events
	}
	if row.Failing {
		note = strings.TrimSpace("✗ ended the run " + note)
	}
	style := st.Text
	switch row.Outcome {
	case timeline.Succeeded:
		style = st.Success
	case timeline.Failed:
		style = st.Failure
	case timeline.Caught, timeline.Retried:
		style = st.Warning
	case timeline.Running:
		style = st.Accent
	}
	noteStyle := st.Muted
	if row.Outcome == timeline.Failed {
		noteStyle = st.Failure
	}
	text := st.Text.Render(cols) + "  " + style.Render(outcome) + "  " + noteStyle.Render(note)
	plain := strings.TrimRight(cols+"  "+outcome+"  "+note, " ")
	return cachedRow{ver: row.Ver, text: text, sel: st.Selected.Render(plain)}
}

// summarize is the start of a step's output on one line.
func summarize(raw string) string {
	var b bytes.Buffer
	if len(raw) > 4096 {
		raw = raw[:4096] // only the start shows: compacting the rest is waste
	} else if json.Compact(&b, []byte(raw)) == nil {
		raw = b.String()
	}
	return ansi.Truncate(sanitize.Line(raw), 80, "…")
}

func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) }

// traceKey moves the cursor over the rows, folds them, and opens the row
// under the cursor (enter); with a row open, keys scroll its detail, and
// enter closes it.
func (m Model) traceKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	km, t := m.keys, &m.trace
	if t.open {
		if key.Matches(k, km.Expand) {
			m.closeDetail()
		}
		return m, nil
	}
	h := m.rowsHeight()
	v := &t.view
	switch {
	case key.Matches(k, km.Down):
		v.Move(1, h)
	case key.Matches(k, km.Up):
		v.Move(-1, h)
	case key.Matches(k, km.Top):
		v.Home(h)
	case key.Matches(k, km.Bottom):
		v.End(h)
	case key.Matches(k, km.PageDown):
		v.Page(h, h)
	case key.Matches(k, km.PageUp):
		v.Page(-h, h)
	case key.Matches(k, km.HalfDown):
		v.Page(max(1, h/2), h)
	case key.Matches(k, km.HalfUp):
		v.Page(-max(1, h/2), h)
	case key.Matches(k, km.Fold):
		v.Toggle(t.tl, h)
	case key.Matches(k, km.FoldAll):
		v.ToggleAll(t.tl, h)
	case key.Matches(k, km.Expand):
		return m, m.openDetail()
	}
	return m, nil
}

// wheel scrolls the rows three at a time, the cursor with them.
func (t *traceState) wheel(b tea.MouseButton, h int) {
	switch b {
	case tea.MouseWheelDown:
		t.view.Page(3, h)
	case tea.MouseWheelUp:
		t.view.Page(-3, h)
	}
}

// traceKeys are the keys traceKey takes.
func (km *KeyMap) traceKeys() []key.Binding {
	return []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, km.HalfUp, km.HalfDown, km.Top, km.Bottom, km.Fold, km.FoldAll, km.Expand}
}

// traceCopy is what y copies in the Trace tab: the raw output of the row
// under the cursor (its error when it has none).
func (m *Model) traceCopy() (string, string) {
	t := &m.trace
	r := t.view.Row()
	if t.open {
		r = t.row
	}
	if t.tl == nil || r < 0 {
		return "", ""
	}
	return t.tl.Visit(r).Output(), "step output"
}

// traceNote is the Trace tab of a run without a timeline: why there is none.
func traceNote(st *theme.Styles, v msgs.RunView) pager {
	switch {
	case v.EventsErr != nil:
		return textPager(st.Failure.Render(sanitize.Line("the recorded events could not be read: " + v.EventsErr.Error())))
	case v.TraceErr != nil:
		return textPager(st.Failure.Render(sanitize.Line("the recorded trace could not be read: " + v.TraceErr.Error())))
	case v.Backend == fnf.KindLocal:
		return textPager(st.Muted.Render("no trace was recorded for this run"))
	}
	return textPager(st.Muted.Render(noTrace))
}
