// Package app is flowtui's root model: it lays out the panes, routes keys and
// messages, and runs the commands that do IO (listing flows, running them,
// reading and writing the history). Decisions about content belong in panes.
package app

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/flows"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/palette"
	"github.com/flowtui/flowtui/ui/result"
	"github.com/flowtui/flowtui/ui/runs"
	"github.com/flowtui/flowtui/ui/statusbar"
	"github.com/flowtui/flowtui/ui/theme"
)

// Smallest screen the layout is drawn for; below it a notice says so.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Options wire the TUI to its backends and files.
type Options struct {
	Backend fnf.Backend
	History *history.Store // nil with --no-history
	// Choices are the backends the picker offers (aliyun CLI profiles, "local");
	// Switch builds the chosen one.
	Choices []palette.Item
	Switch  func(id string) (fnf.Backend, []string, error)
	// Args are the command-line flags that choose this backend again
	// (--flows, --endpoint, --profile…), for "copy as a command line"; Switch
	// returns those of the backend it builds.
	Args    []string
	Mouse   bool
	NoColor bool
	Theme   string              // "auto" (default), "dark" or "light"
	Keymap  map[string][]string // action → keys, from the config file
	Notice  string              // shown in the status bar at start
	Log     *slog.Logger
	Now     func() time.Time
	// Edit runs $EDITOR on the input; tests replace it.
	Edit func(text string) tea.Cmd
	// Runner runs flows and records them in History; nil for a
	// session.Session over History.
	Runner Runner
}

// Model is the root model.
type Model struct {
	c       *common.Common
	opts    Options
	backend fnf.Backend
	dark    bool

	flows flows.Model
	runs  runs.Model
	input input.Model
	// result is the largest pane, half the root's size: held by pointer so
	// that the root, copied on every message (a paste without brackets is a
	// message per key), stays small. It is replaced, never changed in place
	// (update, change), so that an earlier copy of the root keeps its own.
	result *result.Model
	status statusbar.Model
	pick   palette.Model

	focus         pane
	zoomed        bool            // the focused pane fills the screen (layout.go)
	sizes         [paneCount]size // each pane's size as last given to it
	width, height int
	showHelp      bool
	log           msgLog

	flowsGen   int
	flowsDone  int // the newest load answered
	flow       fnf.Flow
	drafts     map[string]string // per flow: the input as the user left it
	shownInput string            // the input as it was loaded, to tell an edit
	inputRan   bool              // a run took the input shown: a late load leaves it
	benching   bool              // the run in flight is a bench (run N times)
	loadSeq    int               // the newest past input asked for (i in Runs)
	loadFrom   string            // the editor's text when it was asked for
	loading    string            // whose input is on its way ("run 12", "execution x"; "": none)
	queued     bool              // ctrl+r came while it was: the run starts when it lands

	runSeq    int64
	openSeq   int // the newest past run asked for; a run started since moves it on
	inflight  int64
	flight    session.Run       // the run in flight, to stop it
	runner    Runner            // runs and records; shared by every copy, for Finish
	running   string            // the flow of the run in flight
	testCases map[string]string // per flow: the mock test case chosen ("" the flow's Default)
	args      []string          // flags that choose the backend again
	regionSeq int               // the backend picker opened last (regions.go)

	live following // the Standard execution followed
	ask  asking    // what an open confirmation or prompt is about
}

// New builds the root model. Key overrides naming unknown actions are an
// error that lists the known ones.
func New(opts Options) (Model, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Edit == nil {
		opts.Edit = input.EditCmd
	}
	if opts.Runner == nil {
		opts.Runner = session.New(opts.History, session.Options{Now: opts.Now})
	}
	dark := opts.Theme != "light"
	c := common.New(theme.New(dark, opts.NoColor))
	c.Now, c.Log = opts.Now, opts.Log
	m := Model{
		c: c, opts: opts, backend: opts.Backend, dark: dark,
		flows: flows.New(c), runs: runs.New(c), input: input.New(c), result: ptr(result.New(c)),
		status: statusbar.New(c), pick: palette.New(c),
		drafts: map[string]string{}, testCases: map[string]string{}, flowsGen: 1, args: opts.Args, log: newMsgLog(),
		runner: opts.Runner,
	}
	m.runs.SetBackend(opts.Backend.Info())
	if err := m.applyKeymap(opts.Keymap); err != nil {
		return Model{}, err
	}
	m.setFocus(paneFlows)
	m.status.SetBackend(describeBackend(opts.Backend.Info()))
	if opts.Notice != "" {
		m.status.SetMessage(opts.Notice, false)
	}
	m.updateHints()
	return m, nil
}

// applyKeymap rebinds actions from the config file: "run" for a global key,
// "flows.filter", "result.copy"… for a pane's.
func (m *Model) applyKeymap(overrides map[string][]string) error {
	if len(overrides) == 0 {
		return nil
	}
	all := m.c.Keys.Bindings()
	for _, p := range m.panes() {
		for name, k := range p.KeyBindings() {
			all[p.name+"."+name] = k
		}
	}
	return keys.Override(all, overrides)
}

// change changes a copy of the pane *p points to, and points p at it.
func change[T any](p **T, f func(*T)) {
	v := **p
	f(&v)
	*p = &v
}

func ptr[T any](v T) *T { return &v }

// describeBackend is the status bar's account of where runs go.
func describeBackend(i fnf.Info) string {
	if i.Kind == fnf.KindLocal {
		where := i.Endpoint
		if home, err := os.UserHomeDir(); err == nil && home != "" {
			where = strings.ReplaceAll(where, home, "~")
		}
		return "local · " + where
	}
	parts := []string{"cloud"}
	if i.Profile != "" {
		parts = append(parts, i.Profile)
	}
	if i.Endpoint != "" && !strings.HasSuffix(i.Endpoint, ".fnf.aliyuncs.com") {
		parts = append(parts, i.Endpoint)
	} else {
		parts = append(parts, i.Region)
	}
	return strings.Join(parts, " · ")
}

// Init loads the flows and asks for the terminal's background colour.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{listFlows(m.backend, m.flowsGen)}
	for _, p := range m.panes() {
		cmds = append(cmds, p.Init())
	}
	return tea.Batch(append(cmds, tea.RequestBackgroundColor)...)
}

// View draws the screen.
func (m Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	if m.opts.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "flowtui"
	if m.width == 0 {
		return v
	}
	if m.width < MinWidth || m.height < MinHeight {
		v.SetContent(m.tooSmall())
		return v
	}
	screen := m.body() + "\n" + m.status.View()
	switch {
	case m.pick.IsOpen():
		screen = overlay(screen, m.pick.View(), m.width, m.height)
	case m.showHelp:
		screen = overlay(screen, m.helpView(), m.width, m.height)
	case m.log.open:
		screen = overlay(screen, m.logView(), m.width, m.height)
	}
	v.SetContent(screen)
	return v
}

func (m Model) tooSmall() string {
	msg := fmt.Sprintf("terminal too small: flowtui needs %d×%d, this one is %d×%d", MinWidth, MinHeight, m.width, m.height)
	lines := []string{m.c.Styles.Warning.Render(msg), m.c.Styles.Muted.Render("enlarge the window, or press q to quit")}
	out := make([]string, 0, m.height)
	top := max(0, m.height/2-1)
	for i := 0; i < top; i++ {
		out = append(out, "")
	}
	for _, l := range lines {
		pad := max(0, (m.width-ansi.StringWidth(l))/2)
		out = append(out, strings.Repeat(" ", pad)+ansi.Truncate(l, m.width, "…"))
	}
	return strings.Join(out, "\n")
}

// overlay sets a dialog over the middle of the screen.
func overlay(screen, dialog string, w, h int) string {
	if dialog == "" {
		return screen
	}
	lines := strings.Split(screen, "\n")
	dl := strings.Split(dialog, "\n")
	dw := 0
	for _, l := range dl {
		dw = max(dw, ansi.StringWidth(l))
	}
	x, y := max(0, (w-dw)/2), max(0, (h-len(dl))/3)
	for i, d := range dl {
		if y+i >= len(lines) {
			break
		}
		base := lines[y+i]
		lines[y+i] = ansi.Truncate(base, x, "") + d + ansi.TruncateLeft(base, x+ansi.StringWidth(d), "")
	}
	return strings.Join(lines, "\n")
}
