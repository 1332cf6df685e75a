package result

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Update handles runs, flows and diffs from the root, the pane's own command
// results, and keys when the pane is focused. After a change of the run
// shown or of the flows known, the Definition tab follows (followDef).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg.(type) {
	case msgs.RunStarted, msgs.RunFinished, msgs.RunOpened, msgs.RunNotSent,
		msgs.FlowSelected, msgs.FlowDescribed, msgs.FlowsLoaded:
		m, cmd := m.update(msg)
		return m, tea.Batch(cmd, m.followDef())
	}
	return m.update(msg)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.typeText(msg)
	case tea.MouseWheelMsg:
		cw, ch := m.contentSize()
		if m.tab == tabTrace && m.trace.tl != nil && !m.trace.open {
			m.trace.wheel(msg.Button, m.rowsHeight())
			return m, nil
		}
		switch msg.Button {
		case tea.MouseWheelDown:
			m.pager().down(3, cw, ch)
		case tea.MouseWheelUp:
			m.pager().up(3, cw)
		}
	case msgs.RunStarted:
		return m, m.runStarted(msg)
	case msgs.RunProgress:
		if msg.ID != 0 && msg.ID == m.inflight {
			return m, m.progress(msg.View)
		}
	case msgs.RunFinished:
		if msg.ID == 0 || msg.ID != m.inflight {
			return m, nil // stale: not the run waited for
		}
		cmd := m.show(msg.View)
		m.live = true
		return m, cmd
	case msgs.RunCancelled:
		if msg.ID != 0 && msg.ID == m.inflight {
			started, at := m.started, msg.At
			if at.IsZero() {
				at = m.common.Now()
			}
			followed, trace := m.progressed, m.trace
			m.setEmpty()
			m.waited, m.stopped = at.Sub(started), true
			m.notice = fnf.Stopped(m.backend).Notice
			if msg.Notice != "" {
				m.notice, m.goesOn = sanitize.Line(msg.Notice), true
			}
			if followed != nil {
				// A Standard execution goes on when it is no longer
				// followed: its events so far stay in view.
				m.progressed, m.trace = followed, trace
				m.trace.live = false
				m.notice = notFollowed
			}
		}
	case msgs.RunNotSent:
		if msg.ID != 0 && msg.ID == m.inflight {
			m.setEmpty()
			m.notSent = true
			m.notice = "Not run: a set-up problem, so nothing was sent and nothing was recorded. " +
				sanitize.Line(msg.Err.Error())
		}
	case msgs.RunOpened:
		if msg.Err != nil {
			if m.inflight == 0 {
				m.setEmpty()
				m.notice = "could not open the run: " + sanitize.Line(msg.Err.Error())
			}
			return m, nil
		}
		return m, m.show(msg.View)
	case msgs.FlowsLoaded:
		if msg.Err == nil {
			m.knowFlows(msg.Flows, true)
		}
	case msgs.FlowSelected:
		m.sel, m.selErr = msg.Flow, nil
		if k, ok := m.known[msg.Flow.Name]; ok && msg.Flow.Definition == "" && msg.Flow.Error == "" {
			m.sel = k // the list entry lacks what a describe brought
		}
	case msgs.FlowDescribed:
		if msg.Err == nil {
			m.knowFlows([]fnf.Flow{msg.Flow}, false)
		}
		if msg.Flow.Name == m.sel.Name || msg.Flow.Name == "" || m.sel.Name == "" {
			if msg.Err == nil {
				m.sel = msg.Flow
			}
			m.selErr = msg.Err
		}
	case msgs.DiffReady:
		return m, m.setDiff(msg)
	case spinner.TickMsg:
		if m.inflight == 0 {
			return m, nil // the spinner stops with the run
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case pageReady:
		return m, m.pageReady(msg)
	case searchDone:
		m.searchDone(msg)
	case jqDone:
		m.jqDone(msg)
	case detailReady:
		return m, m.detailReady(msg)
	}
	return m, nil
}

// runStarted shows a run in flight: a spinner and the time waited.
func (m *Model) runStarted(msg msgs.RunStarted) tea.Cmd {
	m.setEmpty()
	m.inflight, m.flow, m.started, m.backend = msg.ID, msg.Flow, msg.Started, msg.Backend
	if m.started.IsZero() {
		m.started = m.common.Now()
	}
	// A new run makes an earlier diff beside the point.
	m.diff = diffState{}
	m.pages[tabDiff], m.busy[tabDiff] = pager{}, 0
	if m.tab != tabDefinition {
		m.tab = tabOutput
	}
	return m.spin.Tick
}

// setEmpty forgets the run shown and what was made of it; the definition and
// the diff stay.
func (m *Model) setEmpty() {
	m.inflight, m.run, m.notice, m.waited, m.stopped, m.live, m.notSent = 0, nil, "", 0, false, false, false
	m.goesOn = false
	m.progressed = nil
	for _, t := range []tabID{tabOutput, tabError, tabTiming, tabTrace} {
		m.pages[t], m.busy[t], m.kind[t] = pager{}, 0, ""
	}
	m.find.typing = false
	m.find.seq = 0
	m.jq.typing = false
	m.jq.input.SetValue("")
	m.jq.filter, m.jq.seq, m.jq.text, m.jq.page = "", 0, "", pager{}
	m.trace = traceState{gen: m.trace.gen + 1}
}

// show shows a finished or past run; the Error tab comes forward when it
// failed.
// A live run's timeline stays as it was followed (cursor, folds, the row
// open), its last events read into it.
func (m *Model) show(v msgs.RunView) tea.Cmd {
	kept := m.trace
	keep := m.inflight != 0 && kept.live && len(v.Events) > 0 && kept.tl.Extends(v.Events)
	m.setEmpty()
	if v.ErrorCode == "" && v.ErrorMessage == "" && len(v.Events) > 0 {
		// A Standard execution says why it ended in its last event only.
		v.ErrorCode, v.ErrorMessage = fnf.EndError(v.Events)
	}
	m.run = &v
	st := m.common.Styles
	m.pages[tabError] = errorPage(st, v)
	m.pages[tabTiming] = timingPage(st, v, m.loc)
	out := v.Output
	cmds := []tea.Cmd{m.prepare(tabOutput, func() pageReady { return outputPage(st, out) })}
	switch {
	case keep:
		m.trace = kept
		cmds = append(cmds, m.grow(v.Events))
		if f := m.trace.tl.Failing(); f >= 0 && failed(v) && !m.trace.open && m.trace.view.Cursor == 0 {
			// As for a failed run opened from Runs, the row that failed it
			// is what its reader looks for first, unless they moved the
			// cursor while following.
			m.trace.view.Show(m.trace.tl, f, m.rowsHeight())
		}
	case len(v.Events) > 0 || len(v.Steps) > 0:
		def := m.definitionOf(v.FlowName)
		cmds = append(cmds, m.prepare(tabTrace, func() pageReady { return tracePage(v, def) }))
	default:
		m.pages[tabTrace] = traceNote(st, v)
	}
	switch {
	case v.IsBench():
		m.tab = tabTiming // a bench's figures; its output is the same as JSON
	case failed(v):
		m.tab = tabError
	case m.tab == tabError || m.tab == tabDiff:
		m.tab = tabOutput
	}
	return tea.Batch(cmds...)
}

func failed(v msgs.RunView) bool {
	return v.Status.Failed() || v.Err != nil || v.ErrorCode != ""
}

// key handles a key press: the input being typed first, then the pane's keys.
func (m Model) key(k tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.Capturing() {
		return m.typeKey(k)
	}
	km := m.keys
	cw, ch := m.contentSize()
	p := m.pager()
	switch {
	case key.Matches(k, km.NextTab):
		m.switchTab(m.nextTab(1))
	case key.Matches(k, km.PrevTab):
		m.switchTab(m.nextTab(-1))
	case key.Matches(k, km.Output):
		m.switchTab(tabOutput)
	case key.Matches(k, km.Error):
		m.switchTab(tabError)
	case key.Matches(k, km.Timing):
		m.switchTab(tabTiming)
	case key.Matches(k, km.Trace):
		m.switchTab(tabTrace)
	case key.Matches(k, km.Definition):
		m.switchTab(tabDefinition)
	case key.Matches(k, km.Diff):
		m.switchTab(tabDiff)
	case m.tab == tabTrace && m.trace.tl != nil && (!m.trace.open || key.Matches(k, km.Expand)) &&
		key.Matches(k, km.traceKeys()...):
		return m.traceKey(k)
	case key.Matches(k, km.Down):
		p.down(1, cw, ch)
	case key.Matches(k, km.Up):
		p.up(1, cw)
	case key.Matches(k, km.PageDown):
		p.down(ch, cw, ch)
	case key.Matches(k, km.PageUp):
		p.up(ch, cw)
	case key.Matches(k, km.HalfDown):
		p.down(max(1, ch/2), cw, ch)
	case key.Matches(k, km.HalfUp):
		p.up(max(1, ch/2), cw)
	case key.Matches(k, km.Top):
		p.home()
	case key.Matches(k, km.Bottom):
		p.end(cw, ch)
	case key.Matches(k, km.NextMatch):
		p.jump(p.cur+1, cw, ch)
	case key.Matches(k, km.PrevMatch):
		p.jump(p.cur-1, cw, ch)
	case key.Matches(k, km.Search):
		if (m.tab != tabTrace || m.trace.open) && p.len() > 0 {
			// A new search starts afresh; the old one is dropped.
			m.find.typing, m.find.tab, m.find.seq = true, m.tab, 0
			m.find.input.SetValue("")
			p.clearSearch()
			return m, nil
		}
	case key.Matches(k, km.Filter):
		if m.tab == tabOutput && m.run != nil {
			m.jq.typing = true
			m.jq.input.SetValue(m.jq.filter)
			return m, nil
		}
	case key.Matches(k, km.Copy):
		return m, m.copy()
	case key.Matches(k, km.Clear):
		m.clear()
	}
	return m, nil
}

// typeKey handles a key while a search or a filter is typed.
func (m Model) typeKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Accept) && m.find.typing:
		m.find.typing = false
		cw, ch := m.contentSize()
		p := m.pager()
		p.jump(p.cur, cw, ch)
		return m, nil
	case key.Matches(k, m.keys.Cancel) && m.find.typing:
		m.find.typing = false
		m.find.seq = 0
		m.pager().clearSearch()
		return m, nil
	case key.Matches(k, m.keys.Accept):
		m.jq.typing = false
		return m, m.runFilter(m.jq.input.Value())
	case key.Matches(k, m.keys.Cancel):
		m.jq.typing = false
		m.jq.input.SetValue(m.jq.filter)
		return m, nil
	}
	return m.typeText(k)
}

// typeText hands a key or a paste to the input being typed; a search follows
// every change of its text.
func (m Model) typeText(msg tea.Msg) (Model, tea.Cmd) {
	switch {
	case m.find.typing:
		if m.find.input.update(msg, m.keys) {
			return m, m.search()
		}
	case m.jq.typing:
		m.jq.input.update(msg, m.keys)
	}
	return m, nil
}

// tabs are the tabs shown: the Diff tab once a diff has arrived.
func (m *Model) tabs() []tabID {
	t := []tabID{tabOutput, tabError, tabTiming, tabTrace, tabDefinition}
	if m.diff.shown {
		t = append(t, tabDiff)
	}
	return t
}

func (m *Model) nextTab(d int) tabID {
	tabs := m.tabs()
	for i, t := range tabs {
		if t == m.tab {
			return tabs[(i+d+len(tabs))%len(tabs)]
		}
	}
	return tabOutput
}

func (m *Model) switchTab(t tabID) {
	if t == tabDiff && !m.diff.shown {
		return
	}
	m.tab = t
}

// clear drops, in order, the search of the tab, the jq filter, the diff.
func (m *Model) clear() {
	p := m.pager()
	switch {
	case p.query != "":
		p.clearSearch()
		m.find.seq = 0
	case m.tab == tabOutput && (m.jq.filter != "" || m.jq.seq != 0):
		m.clearFilter()
	case m.tab == tabTrace && m.trace.open:
		m.closeDetail()
	case m.tab == tabDiff:
		m.diff.shown = false
		m.tab = tabOutput
	}
}
