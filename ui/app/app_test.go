package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/msgs"
)

// editTo makes ctrl+e put text into the editor, as $EDITOR would.
func editTo(text string) func(*Options) {
	return func(o *Options) {
		o.Edit = func(string) tea.Cmd { return func() tea.Msg { return input.EditedMsg{Text: text} } }
	}
}

func TestChooseEditRunSeeTheRunInHistoryOpenAndDiffIt(t *testing.T) {
	h := newHarness(t, 120, 40, editTo(`{"orderId":"A-1","total":20,"country":"SG"}`))
	h.wantScreen("Flows · 7", "order-routing", "price-list")

	h.selectFlow("order-routing")
	h.key("enter") // choose: focus goes to Input
	if h.model().focus != paneInput {
		t.Fatalf("focus %v after enter, want Input", h.model().focus)
	}
	h.wantScreen("Input · order-routing", `"country": "CN"`) // the sample input

	h.key("ctrl+e") // $EDITOR
	h.key("ctrl+r")
	h.wantScreen("Succeeded", `"route": "standard"`, "Runs · order-routing")

	runs, err := h.history.List(context.Background(), history.Filter{Flow: "order-routing"})
	if err != nil || len(runs) != 1 || runs[0].Status != fnf.StatusSucceeded {
		t.Fatalf("history after one run: %+v, %v", runs, err)
	}

	// A second run with another input fails; both are in Runs, newest first.
	h.send(msgs.LoadInput{Text: `{"orderId":"A-2","total":5000,"country":"CN"}`, Source: "test"})
	h.key("ctrl+r")
	h.wantScreen(`"route": "manual-review"`)
	runs, _ = h.history.List(context.Background(), history.Filter{Flow: "order-routing"})
	if len(runs) != 2 {
		t.Fatalf("%d runs recorded, want 2", len(runs))
	}

	// Open the older run from Runs: shown without re-running.
	h.setFocusTo(paneRuns)
	h.key("down", "enter")
	h.wantScreen(`"route": "standard"`)
	if n, _ := h.history.Count(context.Background()); n != 2 {
		t.Fatalf("opening a run ran it again: %d runs", n)
	}

	// Diff the newest run against the previous one.
	h.key("up", "d")
	h.wantScreen("manual-review", "standard")
	if !strings.Contains(h.screen(), "↔") {
		t.Fatalf("no diff title on screen:\n%s", h.screen())
	}
}

func (h *harness) setFocusTo(p pane) {
	for i := 0; i < int(paneCount) && h.model().focus != p; i++ {
		h.key("tab")
	}
	if h.model().focus != p {
		h.t.Fatalf("could not focus pane %v", p)
	}
}

func TestInputOfAPastRunLoadsIntoTheEditor(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"OLD-7","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	h.send(msgs.LoadInput{Text: `{"orderId":"NEW","total":1,"country":"JP"}`, Source: "test"})
	h.setFocusTo(paneRuns)
	h.key("i")
	h.wantScreen(`"OLD-7"`)
	if h.model().focus != paneInput {
		t.Fatalf("focus %v after i, want Input", h.model().focus)
	}
}

func TestTheLastInputOfAFlowComesBackNextTime(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.send(msgs.LoadInput{Text: `{"orderId":"KEEP","total":1,"country":"JP"}`, Source: "test"})
	h.key("ctrl+r")
	// A new session on the same history starts from that input.
	h2 := &harness{t: t}
	m, err := New(Options{Backend: h.model().backend, History: h.history, Theme: "dark"})
	if err != nil {
		t.Fatal(err)
	}
	h2.m = m
	h2.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h2.run(m.Init())
	h2.selectFlow("order-routing")
	h2.wantScreen(`"KEEP"`)
}

func TestALegacyFlowRunsOnTheLocalEngine(t *testing.T) {
	dir := t.TempDir()
	def := "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: p\n    outputMappings:\n      - target: legacyRan\n        source: yes-it-did\n"
	if err := os.WriteFile(filepath.Join(dir, "old.yaml"), []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	local, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = local })
	h.selectFlow("old")
	h.key("ctrl+r")
	h.wantScreen("yes-it-did")
}

func TestATooSmallTerminalSaysSo(t *testing.T) {
	h := newHarness(t, 60, 20)
	h.wantScreen("terminal too small", "80×24", "60×20")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.wantScreen("Flows", "Input", "Result", "Runs")
}

// esc stops a run: the screen says what became of it, as fits the backend
// (the local engine cancels its run; a cloud execution goes on server-side),
// and the history records the run as Cancelled with the duration the screen
// showed.
func TestEscStopsARunAndTheHistoryKeepsTheDurationShown(t *testing.T) {
	for _, tc := range []struct {
		name     string
		backend  func(fnf.Backend) fnf.Backend
		say, not string
		local    bool
	}{
		{"local", func(b fnf.Backend) fnf.Backend { return b }, "the local run was cancelled", "server-side", true},
		{"cloud", func(b fnf.Backend) fnf.Backend { return cloudInfo{b} }, "goes on server-side", "local run", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
			blocking := &blockingBackend{Backend: mustLocal(t), started: make(chan struct{}, 1)}
			h := newHarness(t, 120, 40, func(o *Options) {
				o.Backend = tc.backend(blocking)
				o.Now = func() time.Time { return clock }
			})
			h.selectFlow("order-routing")

			// Start the run without running its command yet: the call is in flight.
			var cmd tea.Cmd
			h.m, cmd = h.m.Update(keyPress("ctrl+r"))
			clock = clock.Add(2100 * time.Millisecond)
			h.key("esc")
			h.wantScreen("Result · Cancelled · 2.1 s · order-routing · live · "+tc.name, tc.say)
			h.key("ctrl+l")
			h.wantScreen(tc.say)
			if strings.Contains(h.screen(), tc.not) {
				t.Fatalf("a %s run is said to be %q:\n%s", tc.name, tc.not, h.screen())
			}
			h.key("esc")

			clock = clock.Add(time.Second) // the call returns later
			h.run(cmd)
			runs, _ := h.history.List(context.Background(), history.Filter{})
			if len(runs) != 1 || runs[0].Status != fnf.StatusCancelled {
				t.Fatalf("history %+v, want one Cancelled run", runs)
			}
			r := runs[0]
			if r.Latency != 2100*time.Millisecond {
				t.Fatalf("recorded latency %v, the screen showed 2.1 s", r.Latency)
			}
			if want := time.Duration(0); !tc.local && r.Duration() != want {
				t.Fatalf("a cloud execution's duration is unknown, recorded %v", r.Duration())
			}
			if tc.local && r.Duration() != 2100*time.Millisecond {
				t.Fatalf("recorded duration %v, the screen showed 2.1 s", r.Duration())
			}
			h.wantScreen("Result · Cancelled · 2.1 s · order-routing") // the late answer does not replace the notice
		})
	}
}

type blockingBackend struct {
	fnf.Backend
	started chan struct{}
}

func (b *blockingBackend) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func mustLocal(t *testing.T) fnf.Backend {
	l, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestEscapeSequencesInAnOutputCannotReachTheTerminal(t *testing.T) {
	dir := t.TempDir()
	def := "Type: StateMachine\nName: evil\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    OutputConstructor:\n      title: \"\\e]0;pwned\\a\\e[2J\\u009b31m\"\n    End: true\n"
	if err := os.WriteFile(filepath.Join(dir, "evil.yaml"), []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	local, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = local })
	h.selectFlow("evil")
	h.key("ctrl+r")
	raw := h.m.View().Content
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\u009b"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("the view carries %q", bad)
		}
	}
	h.wantScreen("pwned")
}

func TestPaletteRunsActionsAndCopiesACommandLine(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Args = []string{"--local", "--flows", "/srv/my flows"} })
	h.selectFlow("order-routing")
	h.key("ctrl+p")
	h.wantScreen("Commands", "Run the selected flow")
	h.typeText("flowtui command")
	h.key("enter")
	if len(h.copied) != 1 || !strings.Contains(h.copied[0], "flowtui run order-routing --input '{") ||
		!strings.Contains(h.copied[0], "--local --flows '/srv/my flows'") {
		t.Fatalf("copied %q", h.copied)
	}
}

func TestHelpListsGlobalAndPaneKeys(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.key("?")
	h.wantScreen("Keys", "ctrl+r", "run", "ctrl+p")
	h.key("?")
	if strings.Contains(h.screen(), "? or esc closes") {
		t.Fatal("help did not close")
	}
}

func TestKeymapOverridesFromTheConfigFile(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Keymap = map[string][]string{"run": {"f9"}} })
	if got := h.model().c.Keys.Run.Help().Key; got != "f9" {
		t.Fatalf("run key %q, want f9", got)
	}
	_, err := New(Options{Backend: mustLocal(t), Keymap: map[string][]string{"fly": {"x"}}})
	if err == nil || !strings.Contains(err.Error(), "fly") {
		t.Fatalf("unknown action accepted: %v", err)
	}
}

func TestHelpFitsAnEightyByTwentyFourScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.setFocusTo(paneResult) // the pane with the most keys
	h.key("?")
	for _, want := range []string{"ctrl+r", "ctrl+c", "copy"} {
		if !strings.Contains(h.screen(), want) {
			t.Fatalf("help at 80×24 lacks %q:\n%s", want, h.screen())
		}
	}
}

func TestOnlyAnEditedInputIsKeptAsADraft(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.key("down", "up") // away and back, nothing edited
	if strings.Contains(h.screen(), "draft") {
		t.Fatalf("an untouched input came back as a draft:\n%s", h.screen())
	}
	h.setFocusTo(paneInput)
	h.typeText("zz")
	h.setFocusTo(paneFlows)
	h.key("down", "up")
	h.wantScreen("draft", "zz")
}

// The root holds the Result pane by pointer (it is copied on every message)
// but never changes it in place: a copy of the root taken earlier still
// draws what it drew.
func TestAnEarlierCopyOfTheRootKeepsItsResultPane(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.key("ctrl+r")
	before := h.model()
	want := ansi.Strip(before.View().Content)
	h.setFocusTo(paneResult)
	h.key("3", "/")
	h.typeText("Timing")
	h.send(tea.WindowSizeMsg{Width: 140, Height: 44})
	if got := ansi.Strip(before.View().Content); got != want {
		t.Fatalf("an earlier copy of the root changed:\n%s", got)
	}
}
