package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/flowtui/flowtui/client"
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
type fixedBackend struct{ client.Backend }

func (b fixedBackend) StartSyncExecution(ctx context.Context, req client.SyncRequest) (*client.SyncResult, error) {
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

// A whole program under the Bubble Tea runtime: choose a flow, run it, see
// the output and the run in Runs, quit.
func TestProgramRunsAFlowAndRecordsIt(t *testing.T) {
	h := newHarness(t, 120, 40) // for its backend and history
	m, err := New(Options{Backend: h.model().backend, History: h.history, Theme: "dark"})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	sw := newScreenWatcher(t, 120, 40)
	sw.waitScreen(t, tm, "builtin-tour")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	sw.waitScreen(t, tm, "Input · order-routing")
	tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	sw.waitScreen(t, tm, `"route": "standard"`)
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(Model)
	if final.flow.Name != "order-routing" {
		t.Fatalf("final flow %q", final.flow.Name)
	}
	runs, err := h.history.Count(t.Context())
	if err != nil || runs != 1 {
		t.Fatalf("%d runs recorded (%v), want 1", runs, err)
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
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	sw := newScreenWatcher(t, 120, 40)
	sw.waitScreen(t, tm, "builtin-tour")
	for i := 0; i < 4; i++ {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	sw.waitScreen(t, tm, "Runs · price-list")
	sw.waitScreen(t, tm, "✓")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab}) // Runs
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	sw.waitScreen(t, tm, `"label": "2 x TEA-01"`)
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if n, _ := h.history.Count(t.Context()); n != 1 {
		t.Fatalf("opening the run ran it: %d runs", n)
	}
}

// screenWatcher replays a program's output on a virtual terminal, so that
// tests read the screen as a person would, not the renderer's byte stream.
type screenWatcher struct {
	emu *vt.Emulator
}

func newScreenWatcher(t *testing.T, w, h int) *screenWatcher {
	emu := vt.NewEmulator(w, h)
	// The emulator answers terminal queries on its input; drain it.
	go io.Copy(io.Discard, emu)
	t.Cleanup(func() { emu.Close() })
	return &screenWatcher{emu: emu}
}

// waitScreen waits until the screen shows text.
func (sw *screenWatcher) waitScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	seen := 0 // each WaitFor gathers only the bytes written since the last one
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		sw.emu.Write(b[seen:])
		seen = len(b)
		return strings.Contains(sw.emu.String(), text)
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}
