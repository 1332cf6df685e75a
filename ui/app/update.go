package app

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/flows"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/palette"
	"github.com/flowtui/flowtui/ui/result"
	"github.com/flowtui/flowtui/ui/runs"
	"github.com/flowtui/flowtui/ui/theme"
)

// Update routes: global keys first, then the focused pane; everything else is
// broadcast to every pane after the root has taken what it needs.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.Theme != "" && m.opts.Theme != "auto" {
			return m, nil
		}
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			*m.c.Styles = *theme.New(dark, m.opts.NoColor)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg, tea.MouseWheelMsg:
		return m.toFocused(msg)
	case common.Own:
		if p, ok := m.paneNamed(msg.Pane()); ok {
			return m.toPane(p, msg) // a pane's own message: no other pane's business
		}
	}
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case loadingFlows:
		if msg.gen != m.flowsGen || m.flowsDone >= msg.gen {
			return m, nil
		}
		return m.broadcast(flows.Loading{})
	case msgs.FlowsLoaded:
		if msg.Gen != m.flowsGen {
			return m, nil
		}
		m.flowsDone = msg.Gen
		m.c.Log.Debug("flows loaded", "count", len(msg.Flows), "error", msg.Err)
		if msg.Err != nil {
			m.status.SetMessage("listing flows failed: "+msg.Err.Error(), true)
		}
	case msgs.ReloadFlows:
		cmds = append(cmds, m.loadFlows())
	case msgs.RunFinished:
		m.c.Log.Debug("run finished", "id", msg.ID, "flow", msg.View.FlowName, "status", msg.View.Status,
			"code", msg.View.ErrorCode, "latency", msg.View.Latency, "history_id", msg.View.ID)
		if msg.ID == m.inflight {
			m.inflight, m.flight = 0, nil
			m.status.SetRun(runSummary(msg.View), msg.View.Status != fnf.StatusSucceeded)
			// What was said while it ran ("a run is in flight", "copied")
			// would hide how it ended; the log keeps it.
			m.status.SetMessage("", false)
			if msg.View.Unrecorded != "" {
				m.status.SetMessage("this run was "+msg.View.Unrecorded, true)
			}
		}
	case msgs.RunNotSent:
		if msg.ID == m.inflight {
			m.inflight, m.flight = 0, nil
			m.status.SetRun(notSent(m.running, msg.Err), true)
		}
	case msgs.OpenRun:
		cmds = append(cmds, m.openRun(msg.HistoryID))
	case runs.LoadInputOf:
		cmds = append(cmds, m.loadInputOf(msg.HistoryID))
	case runs.Query:
		cmds = append(cmds, m.queryRuns(msg))
	case msgs.ExecutionsAsk:
		cmds = append(cmds, m.executions(msg))
	case msgs.DiffRequested:
		cmds = append(cmds, m.diff(msg.HistoryID))
	case msgs.PinRequested:
		cmds = append(cmds, m.pin(msg))
	case input.EditedMsg:
		if msg.Err != nil {
			m.status.SetMessage("editor: "+msg.Err.Error(), true)
		}
	case msgs.Status:
		m.status.SetMessage(msg.Text, msg.Err)
		return m, nil
	case backendSwitched:
		return m.switched(msg)
	case regionsListed:
		return m.regionsAnswered(msg)
	case execStarted:
		return m.execStartedMsg(msg)
	case stepped:
		return m.steppedMsg(msg)
	case execStopped:
		return m.execStoppedMsg(msg)
	case taskReported:
		return m.taskReportedMsg(msg)
	case flowState:
		return m.applyFlowState(msg)
	case inputLoaded:
		return m.applyInput(msg)
	case runOpened:
		if msg.seq != m.openSeq {
			return m, nil // a newer request, or a run started since
		}
		return m.broadcast(msg.msg)
	}
	return m.broadcast(msg, cmds...)
}

// broadcast hands a message to every pane.
func (m *Model) broadcast(msg tea.Msg, cmds ...tea.Cmd) (tea.Model, tea.Cmd) {
	for i, p := range m.panes() {
		cmds = append(cmds, p.Update(msg))
		if pane(i) == paneFlows {
			cmds = append(cmds, m.followFlows())
		}
	}
	m.updateHints()
	return *m, tea.Batch(cmds...)
}

// followFlows selects the flow under the Flows cursor, at once: what a key
// decides is decided when the key is read, never by a command that a later
// key could overtake (a run would take the previous flow and its input).
// Runs and Result hear of it in the same update.
func (m *Model) followFlows() tea.Cmd {
	f, ok := m.flows.Selected()
	if !ok || f.Name == m.flow.Name && f.Definition == m.flow.Definition && f.Error == m.flow.Error {
		return nil
	}
	load := m.selectFlow(f)
	sel := msgs.FlowSelected{Flow: f}
	ps := m.panes()
	return tea.Batch(load, ps[paneRuns].Update(sel), ps[paneResult].Update(sel))
}

// key handles a key press: overlays, then global keys, then the focused pane.
// While a pane takes typed text (the editor, a filter, a search), a global
// key that is itself text (?, q) is left to it; f1 and the ctrl keys still act.
func (m *Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	g := m.c.Keys
	if key.Matches(k, g.ForceQuit) {
		return m.askQuit()
	}
	if m.pick.IsOpen() {
		var c *palette.Chosen
		m.pick, c = m.pick.Update(k)
		if c != nil {
			return m.chosen(*c) // now: the next key may act on what it did
		}
		return *m, nil
	}
	if m.showHelp {
		if key.Matches(k, g.Help, g.Stop, g.Quit) {
			m.showHelp = false
		}
		return *m, nil
	}
	if m.log.open {
		return m.logKey(k)
	}
	if m.width < MinWidth || m.height < MinHeight {
		if key.Matches(k, g.Quit) {
			return *m, tea.Quit
		}
		return *m, nil
	}
	capturing := m.capturing()
	typed := capturing && k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt) == 0
	switch {
	case typed:
	case key.Matches(k, g.Run):
		return m.startRun()
	case key.Matches(k, g.Stop) && m.inflight != 0 && !m.wantsEsc():
		return m.cancelRun()
	case key.Matches(k, g.Stop) && m.queued && !m.wantsEsc():
		m.dropQueued("stopped")
		return m, nil
	case key.Matches(k, g.Palette):
		m.openPalette()
		return *m, nil
	case key.Matches(k, g.Zoom):
		m.toggleZoom()
		return *m, nil
	case key.Matches(k, g.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return *m, nil
	case key.Matches(k, g.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return *m, nil
	case key.Matches(k, g.Editor):
		return *m, m.opts.Edit(m.input.Value())
	case key.Matches(k, g.Help):
		m.showHelp = true
		return *m, nil
	case key.Matches(k, g.Messages):
		m.log.open, m.log.off = true, -1
		return *m, nil
	case key.Matches(k, g.Quit):
		return m.askQuit()
	}
	// In the editor, the keys of a followed execution act only while one is
	// followed: otherwise ctrl+t and ctrl+o are the editor's own.
	if model, cmd, ok := m.liveKey(k); ok && !typed && (!capturing || m.live.exec != nil) {
		return model, cmd
	}
	next, moves := m.focusAfter(k, capturing)
	var model tea.Model
	var cmd tea.Cmd
	if req, ok := m.runs.Request(k); ok && m.focus == paneRuns && !capturing {
		// What a key asks about a past run is asked now, not by a command
		// that the next key (ctrl+r) could overtake.
		model, cmd = m.Update(req)
	} else {
		model, cmd = m.toFocused(k)
	}
	if moves {
		mm := model.(Model)
		mm.setFocus(next)
		return mm, cmd
	}
	return model, cmd
}

// focusAfter is where a key sends the focus, decided from the screen as the
// key is read: a focus change that waited for a command would arrive after
// the next keys and take them (enter on a flow, then typing, would type into
// the editor late). enter on a flow goes to Input; in Runs, i (its input goes
// to the editor) to Input and d (the diff) to Result.
func (m *Model) focusAfter(k tea.KeyPressMsg, capturing bool) (pane, bool) {
	if capturing {
		return 0, false
	}
	switch m.focus {
	case paneFlows:
		if _, ok := m.flows.Selected(); ok && key.Matches(k, m.flows.KeyMap().Choose) {
			return paneInput, true
		}
	case paneRuns:
		rk := m.runs.KeyMap()
		if v, ok := m.runs.Selected(); ok && (v.ID != 0 || v.Origin == msgs.OriginBackend) {
			switch {
			case key.Matches(k, rk.LoadInput):
				return paneInput, true
			case key.Matches(k, rk.Diff) && v.ID != 0:
				return paneResult, true
			}
		}
	}
	return 0, false
}

// toFocused hands a message to the focused pane only.
func (m *Model) toFocused(msg tea.Msg) (tea.Model, tea.Cmd) { return m.toPane(m.focus, msg) }

// toPane hands a message to pane p only.
func (m *Model) toPane(p pane, msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.panes()[p].Update(msg)
	if p == paneFlows {
		cmd = tea.Batch(cmd, m.followFlows())
	}
	m.updateHints()
	return *m, cmd
}

func (m *Model) capturing() bool { return m.panes()[m.focus].Capturing() }

// stopHint tells Result, while it waits for a run, what stops it from the
// focused pane: esc, or esc once the pane has nothing left to clear.
func (m *Model) stopHint(stopsNow bool) string {
	k := m.c.Keys.Stop.Help().Key
	if k == "" || !m.c.Keys.Stop.Enabled() {
		return m.c.Keys.Palette.Help().Key + " › Stop waiting for the run"
	}
	what := "stops waiting"
	if m.live.id != 0 {
		what = m.liveStopHint()
	}
	if stopsNow || m.inflight == 0 {
		return k + " " + what
	}
	return k + " clears " + m.panes()[m.focus].title + " first, then " + what
}

// wantsEsc reports whether the focused pane has something for esc to clear
// (a filter or search typed or applied, the diff): esc goes there first,
// and stops the run in flight only once nothing is left to clear, so that
// clearing a filter never stops a run. The editor binds no esc.
func (m *Model) wantsEsc() bool { return m.panes()[m.focus].Clearable() }

func (m *Model) setFocus(p pane) {
	ps := m.panes()
	for _, e := range ps {
		e.Blur()
	}
	ps[p].Focus()
	m.focus = p
	if m.zoomed {
		m.layout() // the zoom follows the focus
	}
	m.updateHints()
}

// updateHints gives the status bar the keys to show, most useful first: the
// focused pane's first key, run, the pane's other keys, focus, the palette.
// The help key always shows, as the key that opens help from this pane (f1
// while the pane takes typed text).
func (m *Model) updateHints() {
	pane := m.panes()[m.focus].ShortHelp()
	g := m.c.Keys
	typing := m.capturing()
	var hints []key.Binding
	stop := g.Stop
	stop.SetHelp(g.Stop.Help().Key, "stop run")
	if m.live.id != 0 {
		stop.SetHelp(g.Stop.Help().Key, "stop following")
	}
	stopsNow := m.inflight != 0 && !m.wantsEsc()
	if stopsNow {
		hints = append(hints, stop) // what a run in flight most needs
	}
	hints = append(hints, m.liveHints()...)
	zoom := m.zoomHint(typing)
	if m.zoomed {
		hints = append(hints, zoom) // the screen is not as it usually is: say how back
	}
	if m.inflight != 0 { // Result shows it only while it waits for a run
		if h := m.stopHint(stopsNow); h != m.result.StopHint() {
			change(&m.result, func(r *result.Model) { r.SetStopHint(h) })
		}
	}
	if len(pane) > 0 {
		hints = append(hints, pane[0])
	}
	hints = append(hints, g.Run)
	if len(pane) > 1 {
		hints = append(hints, pane[1:]...)
	}
	hints = append(hints, g.NextPane, g.Palette)
	if !m.zoomed {
		hints = append(hints, zoom)
	}
	m.status.SetHints(keys.Usable(g.Help, typing), g.Messages, hints)
}
