package app

import (
	"cmp"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/palette"
)

// focusPrefix starts the palette's "Go to" entries: "focus-flows".
const focusPrefix = "focus-"

// Palette lists.
const (
	kindCommands = "commands"
	kindBackend  = "backend"
	kindTestCase = "testcase"
)

// testCaser is a backend with mock test cases (the local engine).
type testCaser interface{ TestCases(flow string) []string }

// openPalette lists every action with its key.
func (m *Model) openPalette() {
	g := m.c.Keys
	items := []palette.Item{
		{ID: "run", Title: "Run the selected flow", Key: g.Run.Help().Key},
		{ID: "bench", Title: "Run the selected flow N times (statistics in Timing)…"},
		{ID: "stop", Title: "Stop waiting for the run", Key: g.Stop.Help().Key},
	}
	items = append(items, m.liveItems()...)
	m.ask = asking{}
	for _, p := range m.panes() {
		items = append(items, palette.Item{ID: focusPrefix + p.name, Title: "Go to " + p.title})
	}
	items = append(items, []palette.Item{
		{ID: "reload", Title: "Reload the flows"},
		{ID: "edit", Title: "Edit the input in $EDITOR", Key: g.Editor.Help().Key},
		{ID: "zoom", Title: m.zoomTitle(), Key: g.Zoom.Help().Key},
		{ID: "copy-flowtui", Title: "Copy the run as a flowtui command line"},
		{ID: "copy-aliyun", Title: "Copy the run as an aliyun CLI command line"},
	}...)
	if len(m.opts.Choices) > 0 && m.opts.Switch != nil {
		items = append(items, palette.Item{ID: "backend", Title: "Switch profile, region or backend…"})
	}
	if _, ok := m.backend.(testCaser); ok || m.atEndpoint() {
		items = append(items, palette.Item{ID: "testcase", Title: "Choose the mock test case…"})
	}
	items = append(items,
		palette.Item{ID: "help", Title: "Show all keys", Key: g.Help.Help().Key},
		palette.Item{ID: "messages", Title: "Show the message log", Key: g.Messages.Help().Key},
		palette.Item{ID: "quit", Title: "Quit flowtui", Key: g.Quit.Help().Key},
	)
	m.pick.Open(kindCommands, "Commands", items)
}

// chosen carries out a palette choice.
func (m Model) chosen(c palette.Chosen) (tea.Model, tea.Cmd) {
	if model, cmd, ok := m.chosenLive(c); ok {
		return model, cmd
	}
	if model, cmd, ok := m.liveCommand(c.ID); ok && c.Kind == kindCommands {
		return model, cmd
	}
	switch c.Kind {
	case kindBackend:
		sw := m.opts.Switch
		m.status.SetMessage("switching to "+c.ID+"…", false)
		return m, func() tea.Msg {
			b, args, err := sw(c.ID)
			return backendSwitched{id: c.ID, backend: b, args: args, err: err}
		}
	case kindBench:
		return m.startBench(c.ID)
	case kindTestCase:
		tc := c.ID
		if tc == noTestCase {
			tc = ""
		}
		if strings.ContainsFunc(tc, unicode.IsControl) {
			// It travels as an HTTP header: no line breaks or controls.
			m.status.SetMessage("a test case name has no control characters; none was chosen", true)
			return m, nil
		}
		m.testCases[m.flow.Name] = tc
		m.input.SetTestCase(tc)
		m.status.SetMessage("mock test case of "+m.flow.Name+": "+cmp.Or(tc, defaultCase), false)
		return m, nil
	}
	if name, ok := strings.CutPrefix(c.ID, focusPrefix); ok {
		if p, ok := m.paneNamed(name); ok {
			m.setFocus(p)
			return m, nil
		}
	}
	switch c.ID {
	case "run":
		return m.startRun()
	case "bench":
		m.openBenchCount()
	case "stop":
		if m.inflight != 0 {
			return m.cancelRun()
		}
	case "reload":
		return m, m.loadFlows()
	case "edit":
		return m, m.opts.Edit(m.input.Value())
	case "zoom":
		m.toggleZoom()
	case "copy-flowtui", "copy-aliyun":
		return m.copyCommand(c.ID == "copy-aliyun")
	case "backend":
		return m, m.openBackends()
	case "testcase":
		current := m.testCases[m.flow.Name]
		if tc, ok := m.backend.(testCaser); ok {
			m.pick.Open(kindTestCase, "Mock test case of "+m.flow.Name, testCaseItems(tc.TestCases(m.flow.Name), current))
			break
		}
		// An endpoint (flowtui serve) names its test cases in its own mock
		// file, which is not at hand: the case is typed, and sent with the run.
		var known []string
		if current != "" {
			known = []string{current}
		}
		items := append(testCaseItems(known, current), palette.Item{Typed: true, Title: "Use the test case"})
		m.pick.Open(kindTestCase, "Mock test case of "+m.flow.Name+" at the endpoint (type its name)", items)
	case "help":
		m.showHelp = true
	case "messages":
		m.log.open, m.log.off = true, -1
	case "quit":
		return m.askQuit()
	}
	return m, nil
}

// noTestCase is the picker's ID for running without naming a test case: the
// flow's Default case applies, if it has one.
const (
	noTestCase  = "-"
	defaultCase = "Default" // engine.DefaultTestCase
)

// testCaseItems lists each test case of a flow once, the one in force
// marked. Choosing none and choosing Default are the same run, so Default is
// the entry for "none" when the flow has it; otherwise "none" says what
// happens without mocks.
func testCaseItems(cases []string, current string) []palette.Item {
	none := palette.Item{ID: noTestCase, Title: "no test case (the mock file's Default case, if any)", Current: current == ""}
	var items []palette.Item
	for _, tc := range cases {
		if tc == defaultCase {
			none.Title = defaultCase
			continue
		}
		items = append(items, palette.Item{ID: tc, Title: tc, Current: tc == current})
	}
	return append([]palette.Item{none}, items...)
}

// atEndpoint reports whether the backend is an --endpoint, such as flowtui
// serve, which takes a mock test case with each run.
func (m *Model) atEndpoint() bool { return flagValue(m.args, "--endpoint") != "" }

// backendSwitched carries the backend the picker built.
type backendSwitched struct {
	id      string
	backend fnf.Backend
	args    []string
	err     error
}

func (m Model) switched(s backendSwitched) (tea.Model, tea.Cmd) {
	if s.err != nil {
		m.status.SetMessage("switch to "+s.id+": "+s.err.Error(), true)
		return m, nil
	}
	m.stopRun()
	m.regionSeq++ // regions asked of the backend left are not this one's
	m.backend, m.flow, m.testCases, m.args = s.backend, fnf.Flow{}, map[string]string{}, s.args
	m.runs.SetBackend(s.backend.Info())
	m.status.SetBackend(describeBackend(s.backend.Info()))
	m.status.SetMessage("now on "+describeBackend(s.backend.Info()), false)
	return m, m.loadFlows()
}

// helpView lists the global keys and the focused pane's, in a dialog.
func (m Model) helpView() string {
	st := m.c.Styles
	g := m.c.Keys
	var groups [][]key.Binding
	global := []key.Binding{g.Run, g.Stop, g.StopExecution, g.TaskSucceeded, g.TaskFailed,
		g.NextPane, g.PrevPane, g.Palette, g.Editor, g.Zoom, g.Help, g.Messages, g.Quit, g.ForceQuit}
	for i := range global {
		global[i] = keys.Usable(global[i], m.capturing()) // in the editor, q and + type: name what acts
	}
	groups = append(groups, global)
	groups = append(groups, m.panes()[m.focus].FullHelp()...)
	// One line per key: the global keys, a gap, the pane's.
	var lines []string
	for i, grp := range groups {
		if i == 1 {
			lines = append(lines, "")
		}
		for _, k := range grp {
			if k.Enabled() && k.Help().Key != "" {
				lines = append(lines, st.Paint.HelpKey.Render(common.Fit(k.Help().Key, 12))+" "+st.Paint.HelpDesc.Render(k.Help().Desc))
			}
		}
	}
	// Two columns when one would not fit the screen.
	rows, width := len(lines), min(60, m.width-4)
	if room := m.height - 4; rows > room {
		rows, width = (len(lines)+1)/2, min(104, m.width-4)
		col := (width - 4) / 2
		var two []string
		for r := 0; r < rows; r++ {
			right := ""
			if r+rows < len(lines) {
				right = lines[r+rows]
			}
			two = append(two, common.Fit(lines[r], col)+"  "+right)
		}
		lines = two
	}
	body := strings.Join(lines, "\n")
	return common.Frame(st, "Keys", g.Help.Help().Key+" or esc closes", body, width, min(rows+2, m.height-2), true)
}
