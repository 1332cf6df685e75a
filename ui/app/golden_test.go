package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/input"
)

// The whole screen at the two sizes the layout is designed for, after a run
// of a demo flow (go test ./ui/app -update rewrites the files).
func TestScreenGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newHarness(t, size[0], size[1], func(o *Options) { o.Backend = fixedBackend{mustLocal(t)} })
			h.selectFlow("order-routing")
			h.key("ctrl+r")
			golden.RequireEqual(t, h.screen())
		})
	}
}

// fixedBackend makes what changes from run to run fixed: execution names,
// request ids, times.
type fixedBackend struct{ fnf.Backend }

func (b fixedBackend) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	res, err := b.Backend.StartSyncExecution(ctx, req)
	if res != nil {
		res.Name = "run1:6c0b6a2e-3c1e-4d4f-9e0a-1b2c3d4e5f60"
		res.RequestId = "8906582E-6722-409A-A6C4-0E7863B733A5"
		res.StartedTime, res.StoppedTime = "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.132Z"
		res.Latency = 180 * time.Millisecond
		for i := range res.Trace {
			res.Trace[i].Start, res.Trace[i].Duration = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), 40*time.Microsecond
		}
	}
	return res, err
}

// A whole program under the Bubble Tea runtime: choose a flow, run it, edit
// the input ($EDITOR), run again, find the runs in Runs, open one, diff them.
func TestProgramRunsEditsOpensAndDiffs(t *testing.T) {
	h := newHarness(t, 120, 40) // for its backend and history
	edited := `{"orderId":"A-9","total":5000,"country":"CN"}`
	m, err := New(Options{Backend: h.model().backend, History: h.history, Theme: "dark",
		Edit: func(string) tea.Cmd { return func() tea.Msg { return input.EditedMsg{Text: edited} } }})
	if err != nil {
		t.Fatal(err)
	}
	om, sw := observe(m)
	tm := teatest.NewTestModel(t, om, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	sw.waitScreen(t, "builtin-tour")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	sw.waitScreen(t, "Input · order-routing")
	tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	sw.waitScreen(t, `"route": "standard"`)

	tm.Send(tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}) // edit in $EDITOR
	sw.waitScreen(t, `"A-9"`)
	tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	sw.waitScreen(t, `"route": "manual-review"`)

	// Runs: the newest run first; open the older one, then diff the newest.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) // Result → Input
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) // → Runs
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	sw.waitScreen(t, `"route": "standard"`) // opening keeps Runs focused, to browse on
	tm.Send(tea.KeyPressMsg{Code: tea.KeyUp})
	tm.Send(tea.KeyPressMsg{Code: 'd', Text: "d"})
	sw.waitScreen(t, "↔")

	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(observed).m.(Model)
	if final.flow.Name != "order-routing" {
		t.Fatalf("final flow %q", final.flow.Name)
	}
	runs, err := h.history.Count(t.Context())
	if err != nil || runs != 2 {
		t.Fatalf("%d runs recorded (%v), want 2", runs, err)
	}
}

// A second program on the same history opens the recorded run from Runs.
func TestProgramOpensAPastRunFromRuns(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("price-list")
	h.key("ctrl+r")
	m, err := New(Options{Backend: h.model().backend, History: h.history, Theme: "dark"})
	if err != nil {
		t.Fatal(err)
	}
	om, sw := observe(m)
	tm := teatest.NewTestModel(t, om, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	sw.waitScreen(t, "builtin-tour")
	for i := 0; i < 4; i++ {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	sw.waitScreen(t, "Runs · price-list")
	sw.waitScreen(t, "✓")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab}) // Runs
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	sw.waitScreen(t, `"label": "2 x TEA-01"`)
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if n, _ := h.history.Count(t.Context()); n != 1 {
		t.Fatalf("opening the run ran it: %d runs", n)
	}
}

// observed wraps the root model under the real runtime and keeps the text of
// the last frame it drew, so that tests read the screen the program produced
// (a terminal emulator replaying the renderer's output proved less faithful
// than the frames themselves).
type observed struct {
	m    tea.Model
	last *lastFrame
}

type lastFrame struct {
	mu   sync.Mutex
	text string
}

func (o observed) Init() tea.Cmd { return o.m.Init() }

func (o observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	o.m, cmd = o.m.Update(msg)
	return o, cmd
}

func (o observed) View() tea.View {
	v := o.m.View()
	o.last.mu.Lock()
	o.last.text = ansi.Strip(v.Content)
	o.last.mu.Unlock()
	return v
}

func observe(m tea.Model) (observed, *lastFrame) {
	lf := &lastFrame{}
	return observed{m: m, last: lf}, lf
}

// waitScreen waits until a frame shows text, and shows the last frame when
// none does.
func (lf *lastFrame) waitScreen(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		lf.mu.Lock()
		screen := lf.text
		lf.mu.Unlock()
		if strings.Contains(screen, text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no frame shows %q after 30s; the last:\n%s", text, screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
