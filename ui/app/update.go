package app

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/ui/flows"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/palette"
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
	case palette.Chosen:
		return m.chosen(msg)
	case palette.Closed:
		return m, nil
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
	case msgs.FlowSelected:
		// Commands deliver in any order: trust the pane's cursor, not the
		// order of the messages.
		if sel, ok := m.flows.Selected(); ok && sel.Name != msg.Flow.Name {
			return m, nil
		}
		if f := msg.Flow; f.Name == m.flow.Name && f.Definition == m.flow.Definition && f.Error == m.flow.Error {
			return m, nil
		}
		cmds = append(cmds, m.selectFlow(msg.Flow))
	case flows.Chosen:
		m.setFocus(paneInput)
	case msgs.RunFinished:
		m.c.Log.Debug("run finished", "id", msg.ID, "flow", msg.View.Flow, "status", msg.View.Status,
			"code", msg.View.ErrorCode, "latency", msg.View.Latency, "history_id", msg.View.HistoryID)
		if msg.ID == m.inflight {
			m.inflight, m.cancel = 0, nil
			m.status.SetRun(runSummary(msg.View), msg.View.Status != client.StatusSucceeded)
		}
	case msgs.OpenRun:
		cmds = append(cmds, m.openRun(msg.HistoryID))
	case runs.LoadInputOf:
		cmds = append(cmds, m.loadInputOf(msg.HistoryID))
	case runs.Query:
		cmds = append(cmds, m.queryRuns(msg))
	case msgs.LoadInput:
		m.setFocus(paneInput)
	case msgs.DiffRequested:
		cmds = append(cmds, m.diff(msg.HistoryID))
	case msgs.DiffReady:
		m.setFocus(paneResult)
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
	case flowState:
		return m.applyFlowState(msg)
	}
	return m.broadcast(msg, cmds...)
}

// broadcast hands a message to every pane.
func (m Model) broadcast(msg tea.Msg, cmds ...tea.Cmd) (tea.Model, tea.Cmd) {
	var c tea.Cmd
	m.flows, c = m.flows.Update(msg)
	cmds = append(cmds, c)
	m.runs, c = m.runs.Update(msg)
	cmds = append(cmds, c)
	m.input, c = m.input.Update(msg)
	cmds = append(cmds, c)
	m.result, c = m.result.Update(msg)
	cmds = append(cmds, c)
	m.updateHints()
	return m, tea.Batch(cmds...)
}

// key handles a key press: overlays, then global keys, then the focused pane.
func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	g := m.c.Keys
	if key.Matches(k, g.ForceQuit) {
		m.stopRun()
		return m, tea.Quit
	}
	if m.pick.IsOpen() {
		var cmd tea.Cmd
		m.pick, cmd = m.pick.Update(k)
		return m, cmd
	}
	if m.showHelp {
		if key.Matches(k, g.Help, g.Stop, g.Quit) {
			m.showHelp = false
		}
		return m, nil
	}
	if m.width < MinWidth || m.height < MinHeight {
		if key.Matches(k, g.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	capturing := m.capturing()
	switch {
	case key.Matches(k, g.Run):
		return m.startRun()
	case key.Matches(k, g.Stop) && m.inflight != 0 && !capturing:
		return m.cancelRun()
	case key.Matches(k, g.Palette):
		m.openPalette()
		return m, nil
	case key.Matches(k, g.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return m, nil
	case key.Matches(k, g.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return m, nil
	case key.Matches(k, g.Editor):
		return m, m.opts.Edit(m.input.Value())
	case !capturing && key.Matches(k, g.Help):
		m.showHelp = true
		return m, nil
	case !capturing && key.Matches(k, g.Quit):
		m.stopRun()
		return m, tea.Quit
	}
	return m.toFocused(k)
}

// toFocused hands a message to the focused pane only.
func (m Model) toFocused(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.focus {
	case paneFlows:
		m.flows, cmd = m.flows.Update(msg)
	case paneRuns:
		m.runs, cmd = m.runs.Update(msg)
	case paneInput:
		m.input, cmd = m.input.Update(msg)
	case paneResult:
		m.result, cmd = m.result.Update(msg)
	}
	m.updateHints()
	return m, cmd
}

func (m Model) capturing() bool {
	switch m.focus {
	case paneFlows:
		return m.flows.Capturing()
	case paneRuns:
		return m.runs.Capturing()
	case paneInput:
		return m.input.Capturing()
	case paneResult:
		return m.result.Capturing()
	}
	return false
}

func (m *Model) setFocus(p pane) {
	m.flows.Blur()
	m.runs.Blur()
	m.input.Blur()
	m.result.Blur()
	switch p {
	case paneFlows:
		m.flows.Focus()
	case paneRuns:
		m.runs.Focus()
	case paneInput:
		m.input.Focus()
	case paneResult:
		m.result.Focus()
	}
	m.focus = p
	m.updateHints()
}

// updateHints shows the focused pane's keys and the global ones.
func (m *Model) updateHints() {
	var hints []key.Binding
	switch m.focus {
	case paneFlows:
		hints = m.flows.ShortHelp()
	case paneRuns:
		hints = m.runs.ShortHelp()
	case paneInput:
		hints = m.input.ShortHelp()
	case paneResult:
		hints = m.result.ShortHelp()
	}
	g := m.c.Keys
	m.status.SetHints(append(append([]key.Binding{g.Run}, hints...), g.NextPane, g.Palette, g.Help))
}
