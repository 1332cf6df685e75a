package app

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/uitest"
)

// harness drives the root model the way the Bubble Tea runtime does, but
// deterministically: every command runs to completion before the next key,
// and its messages are fed back in order. Timers are skipped: a test of the
// root does not wait for spinners or debounced checks.
type harness struct {
	t       *testing.T
	m       tea.Model
	history *history.Store
	copied  []string
	quit    bool
}

func newHarness(t *testing.T, w, h int, mod ...func(*Options)) *harness {
	t.Helper()
	local, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := history.Open(context.Background(), history.Options{Path: filepath.Join(t.TempDir(), "history.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	opts := Options{
		Backend: local, History: hs, Theme: "dark",
		Now:  func() time.Time { return clock },
		Edit: func(text string) tea.Cmd { return func() tea.Msg { return input.EditedMsg{Text: text} } },
	}
	for _, f := range mod {
		f(&opts)
	}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hn := &harness{t: t, m: m, history: hs}
	hn.send(tea.WindowSizeMsg{Width: w, Height: h})
	hn.run(m.Init())
	return hn
}

// send delivers a message and everything it leads to.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	h.run(cmd)
}

// timerCutoff is how long the harness waits for a command. Commands that do
// IO here (the local engine, the history on a temp file) answer within
// milliseconds; the ones still running after this are timers (spinner frames,
// notes that expire), whose messages a real program would get later.
const timerCutoff = 500 * time.Millisecond

// run executes a command and delivers its messages in order; the parts of a
// batch run at once, as in a real program.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	for _, msg := range collect(cmd) {
		switch msg := msg.(type) {
		case nil:
		case tea.QuitMsg:
			h.quit = true
		default:
			if isTimerMsg(msg) {
				continue
			}
			if reflect.TypeOf(msg).String() == "tea.setClipboardMsg" {
				h.copied = append(h.copied, reflect.ValueOf(msg).String())
				continue
			}
			h.send(msg)
		}
	}
}

// collect runs a command (flattening batches) and returns the messages of
// the parts that answered before the cutoff, in batch order.
func collect(cmd tea.Cmd) []tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(timerCutoff):
		return nil
	}
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	parts := make([][]tea.Msg, len(batch))
	var wg sync.WaitGroup
	for i, c := range batch {
		if c == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i] = collect(c)
		}()
	}
	wg.Wait()
	var out []tea.Msg
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// isTimerMsg recognises the messages of ticking components (spinner frames,
// elapsed-time ticks, debounce timers), which a real program gets later.
func isTimerMsg(msg tea.Msg) bool {
	name := reflect.TypeOf(msg).String()
	return strings.Contains(name, "Tick") || strings.Contains(name, "tick") || strings.Contains(name, "check")
}

// key presses keys given as Bubble Tea names ("down", "ctrl+r", "a").
func (h *harness) key(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

func keyPress(k string) tea.KeyPressMsg { return uitest.Key(k) }

// typeText types characters one by one.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// screen is the visible text, styles removed.
func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

func (h *harness) model() Model { return h.m.(Model) }

func (h *harness) wantScreen(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

// selectFlow moves the Flows cursor to the named flow.
func (h *harness) selectFlow(name string) {
	h.t.Helper()
	for i := 0; i < 20; i++ {
		if h.model().flow.Name == name {
			return
		}
		h.key("down")
	}
	h.t.Fatalf("flow %s not reached; selected %q", name, h.model().flow.Name)
}

var _ = msgs.Status{}
var _ = fnf.KindLocal

// TestMain pins the local time zone: the screens show local times.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// burst reads keys the way a terminal delivers a fast typist's or a paste's
// keys: all of them before any command answers. The commands run afterwards,
// in order, and their messages are fed back.
func (h *harness) burst(keys ...string) {
	h.t.Helper()
	var cmds []tea.Cmd
	for _, k := range keys {
		var cmd tea.Cmd
		h.m, cmd = h.m.Update(keyPress(k))
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		h.run(c)
	}
}

// nextFlowAfter is the flow listed after name.
func (h *harness) nextFlowAfter(name string) (fnf.Flow, bool) {
	fl, err := h.model().backend.ListFlows(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for i, f := range fl {
		if f.Name == name && i+1 < len(fl) {
			d, err := h.model().backend.DescribeFlow(context.Background(), fl[i+1].Name)
			if err != nil {
				h.t.Fatal(err)
			}
			return d, true
		}
	}
	return fnf.Flow{}, false
}

// runsOf is the flow's recorded runs, newest first, and the newest with its
// bodies; it fails the test unless there are want of them.
func (h *harness) runsOf(flow string, want int) ([]history.Run, history.Run) {
	h.t.Helper()
	runs, err := h.history.List(context.Background(), history.Filter{Flow: flow})
	if err != nil || len(runs) != want {
		h.t.Fatalf("history of %q: %d runs, %v; want %d", flow, len(runs), err, want)
	}
	if want == 0 {
		return runs, history.Run{}
	}
	newest, err := h.history.Get(context.Background(), runs[0].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return runs, newest
}
