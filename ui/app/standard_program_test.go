package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/input"
)

// A whole program under the Bubble Tea runtime, on the local engine: a
// Standard flow with a three-second Wait is followed as it advances
// (Running with its events, then Succeeded) and its events open in the
// Trace tab; another is stopped after the confirmation; a third waits on a
// callback task, answered from the TUI with the editor's text.
func TestProgramFollowsStopsAndAnswersStandardExecutions(t *testing.T) {
	local := standardFlows(t)
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = local }) // for its history
	approved := `{"approvedBy":"ana"}`
	m, err := New(Options{Backend: local, History: h.history, Theme: "dark",
		Edit: func(string) tea.Cmd { return func() tea.Msg { return input.EditedMsg{Text: approved} } }})
	if err != nil {
		t.Fatal(err)
	}
	rec := &runMsgs{}
	om, sw := observe(recording{m, rec})
	tm := teatest.NewTestModel(t, om, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	press := func(k string) { tm.Send(keyPress(k)) }
	sw.waitScreen(t, "approval")

	// Follow cooldown: Running with its first events, then Succeeded.
	press("down")
	sw.waitScreen(t, "Input · cooldown")
	press("ctrl+r")
	sw.waitScreen(t, "Succeeded · cooldown")
	progress := rec.progress()
	if len(progress) == 0 || progress[0].Detail.Status != fnf.StatusRunning || len(progress[0].Events) == 0 {
		t.Fatalf("progress shown: %+v; want Running with events before the end", progress)
	}
	end := rec.finished()
	if len(end) != 1 || end[0].Detail.Status != fnf.StatusSucceeded || len(end[0].Events) <= len(progress[0].Events) {
		t.Fatalf("end: %+v; want Succeeded with every event", end)
	}
	press("4") // Result's Trace tab: the events, a row per state visit
	sw.waitScreen(t, "Cool")
	sw.waitScreen(t, "Done")

	// Stop hold, after the confirmation.
	press("tab") // Result → Flows
	press("down")
	sw.waitScreen(t, "Input · hold")
	press("ctrl+r")
	sw.waitScreen(t, "following hold")
	press("ctrl+x")
	sw.waitScreen(t, "Stop hold · ")
	press("down")
	press("enter")
	sw.waitScreen(t, "Result · Stopped") // the title; the status bar may say something else by then

	// approval waits on its callback task: answer it with the editor's text.
	press("tab")
	press("up")
	press("up")
	sw.waitScreen(t, "Input · approval")
	press("ctrl+r")
	sw.waitScreen(t, "task token flowtui-")
	press("ctrl+e") // $EDITOR gives the task's output
	sw.waitScreen(t, "ana")
	press("ctrl+o")
	sw.waitScreen(t, "Succeeded · approval")

	press("ctrl+c") // nothing runs: no question
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(observed).m.(recording).Model.(Model)
	if note := final.Finish(); note != "" {
		t.Errorf("exit note %q; nothing was running", note)
	}
	rows := map[string]history.Run{}
	all, _ := h.history.List(context.Background(), history.Filter{})
	for _, r := range all {
		full, err := h.history.Get(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows[r.FlowName] = full
	}
	if len(all) != 3 {
		t.Errorf("%d rows, want one per execution", len(all))
	}
	if r := rows["cooldown"]; r.Status != fnf.StatusSucceeded || !strings.Contains(r.Events, "Cool") {
		t.Errorf("cooldown row: %s, events %q", r.Status, r.Events)
	}
	if r := rows["hold"]; r.Status != fnf.StatusStopped || r.ErrorCode != stopError {
		t.Errorf("hold row: %s %s", r.Status, r.ErrorCode)
	}
	if r := rows["approval"]; r.Status != fnf.StatusSucceeded || !strings.Contains(r.Output, "ana") {
		t.Errorf("approval row: %s, output %q", r.Status, r.Output)
	}
}

// recording passes messages to the root and keeps the steps of the
// follows it was given: what it showed as progress, and the ends.
type recording struct {
	tea.Model
	r *runMsgs
}

type runMsgs struct {
	mu    sync.Mutex
	steps []session.Progress
}

func (r recording) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(stepped); ok {
		r.r.mu.Lock()
		r.r.steps = append(r.r.steps, s.p)
		r.r.mu.Unlock()
	}
	var cmd tea.Cmd
	r.Model, cmd = r.Model.Update(msg)
	return r, cmd
}

// progress and finished are the steps before the end, and the ends.
func (r *runMsgs) progress() []session.Progress { return r.pick(false) }
func (r *runMsgs) finished() []session.Progress { return r.pick(true) }

func (r *runMsgs) pick(ended bool) []session.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []session.Progress
	for _, p := range r.steps {
		if p.Ended == ended {
			out = append(out, p)
		}
	}
	return out
}
