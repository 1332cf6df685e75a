package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

func TestPaletteRunsTheFlowNTimesAndShowsTheStatistics(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("parallel-lookup")
	h.key("ctrl+p")
	h.typeText("N times")
	h.key("enter")
	h.wantScreen("how many times")
	h.typeText("7")
	h.key("enter")
	// The Timing tab comes forward with the bench's figures.
	h.wantScreen("bench parallel-lookup on local: 7 runs", "succeeded 7, errors 0", "round trip", "p99", "histogram")
	runs, row := h.runsOf("parallel-lookup", 1)
	if !runs[0].IsBench() || row.Status != fnf.StatusSucceeded || !strings.HasPrefix(row.ErrorMessage, "bench: 7 runs, 0 errors") {
		t.Fatalf("history: %+v; want one bench summary row of 7 runs", runs[0])
	}
}

func TestPaletteBenchRefusesABadCount(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("parallel-lookup")
	h.key("ctrl+p")
	h.typeText("N times")
	h.key("enter")
	h.typeText("lots")
	h.key("enter")
	h.wantScreen(`"lots" is not a count`)
	h.runsOf("parallel-lookup", 0)
}

// stallingBackend answers its first n calls from the local engine, then
// holds every later one until its context ends: a bench in the middle.
type stallingBackend struct {
	fnf.Backend
	n       int
	mu      sync.Mutex
	calls   int
	stalled chan struct{} // closed at the first held call
}

func (b *stallingBackend) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	b.mu.Lock()
	b.calls++
	k := b.calls
	b.mu.Unlock()
	if k <= b.n {
		return b.Backend.StartSyncExecution(ctx, req)
	}
	if k == b.n+1 {
		close(b.stalled)
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// startBenchOf opens the palette's "run N times" on flow and chooses n,
// returning the command that runs the bench, not yet run.
func (h *harness) startBenchOf(flow, n string) tea.Cmd {
	h.t.Helper()
	h.selectFlow(flow)
	h.key("ctrl+p")
	h.typeText("N times")
	h.key("enter")
	h.typeText(n)
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(keyPress("enter"))
	return cmd
}

// Quitting (q, ctrl+c) or an interrupt in the middle of a bench: once the
// program has returned, Finish stops the bench and its summary row holds
// what ran, Cancelled, and the exit note says so.
func TestQuittingDuringABenchRecordsWhatItRan(t *testing.T) {
	for _, tc := range []struct{ name, quit string }{
		{"q", "q"}, {"ctrl+c", "ctrl+c"},
		{"interrupt", ""}, // the program ends without a key
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &stallingBackend{Backend: mustLocal(t), n: 3, stalled: make(chan struct{})}
			h := newHarness(t, 120, 40, func(o *Options) { o.Backend = b })
			call := h.startBenchOf("parallel-lookup", "100")
			go collect(call) // the program runs the bench
			select {
			case <-b.stalled:
			case <-time.After(10 * time.Second):
				t.Fatal("the bench did not reach its fourth run")
			}
			if tc.quit != "" {
				h.key(tc.quit)
				if !h.quit {
					t.Fatalf("%s did not quit", tc.quit)
				}
			}

			note := h.model().Finish()
			runs, row := h.runsOf("parallel-lookup", 1)
			if !runs[0].IsBench() || row.Status != fnf.StatusCancelled || !strings.HasPrefix(row.ErrorMessage, "bench: 3 runs, 0 errors") {
				t.Fatalf("history: %+v; want one bench summary row of 3 runs, Cancelled", runs[0])
			}
			if want := "the bench of parallel-lookup: Cancelled after 3 runs; recorded in the history as run 1"; note != want {
				t.Fatalf("exit note %q, want %q", note, want)
			}
			if again := h.model().Finish(); again != "" {
				t.Fatalf("a second Finish said %q", again)
			}
		})
	}
}

// The program may end before the bench's command has run at all: Finish
// records it, with nothing run, and the command, if it runs late, records
// nothing more.
func TestABenchEndedBeforeItRanIsStillRecorded(t *testing.T) {
	h := newHarness(t, 120, 40)
	call := h.startBenchOf("parallel-lookup", "100")
	h.key("q")
	note := h.model().Finish()
	_, row := h.runsOf("parallel-lookup", 1)
	if row.Status != fnf.StatusCancelled || !strings.HasPrefix(row.ErrorMessage, "bench: 0 runs") {
		t.Fatalf("row %+v, want a bench of 0 runs, Cancelled", row)
	}
	if !strings.Contains(note, "Cancelled after 0 runs; recorded in the history as run 1") {
		t.Fatalf("exit note %q", note)
	}
	for _, msg := range collect(call) {
		if _, ok := msg.(msgs.RunFinished); ok {
			t.Fatal("the bench's late command sent a result too")
		}
	}
	h.runsOf("parallel-lookup", 1)
}

// A count typed is the count: "1" runs the flow once (no preset that
// holds a 1 is chosen instead), and "0" is refused.
func TestPaletteBenchTakesTheCountTyped(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.run(h.startBenchOf("parallel-lookup", "0"))
	h.wantScreen(`"0" is not a count`)
	h.run(h.startBenchOf("parallel-lookup", "1"))
	h.wantScreen("bench parallel-lookup on local: 1 run")
	runs, row := h.runsOf("parallel-lookup", 1)
	if !runs[0].IsBench() || !strings.HasPrefix(row.ErrorMessage, "bench: 1 run, 0 errors") {
		t.Fatalf("history: %+v; want one bench summary row of 1 run", runs[0])
	}
}

// Quitting twice in a row (q, then ctrl+c before the program is gone) tells
// of the bench once.
func TestQuittingTwiceDuringABenchTellsOfItOnce(t *testing.T) {
	b := &stallingBackend{Backend: mustLocal(t), n: 1, stalled: make(chan struct{})}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = b })
	go collect(h.startBenchOf("parallel-lookup", "100"))
	<-b.stalled
	h.key("q")
	h.key("ctrl+c")
	note := h.model().Finish()
	if n := strings.Count(note, "the bench of parallel-lookup"); n != 1 {
		t.Fatalf("the exit note tells of the bench %d times:\n%s", n, note)
	}
}

// esc in the middle of a bench stops it and shows what completed: the
// statistics of the runs that ended, not a cut run.
func TestEscDuringABenchShowsWhatCompleted(t *testing.T) {
	b := &stallingBackend{Backend: mustLocal(t), n: 3, stalled: make(chan struct{})}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = b })
	call := h.startBenchOf("parallel-lookup", "100")
	msgs := make(chan []tea.Msg, 1)
	go func() { msgs <- collect(call) }() // the stop below ends it within the cutoff
	<-b.stalled
	h.key("esc")
	for _, msg := range <-msgs {
		h.send(msg)
	}
	h.wantScreen("bench parallel-lookup on local: 3 runs", "succeeded 3, errors 0", "histogram")
	if strings.Contains(h.screen(), "the local run was cancelled") {
		t.Errorf("Result shows a cut run:\n%s", h.screen())
	}
	_, row := h.runsOf("parallel-lookup", 1)
	if row.Status != fnf.StatusCancelled || !strings.HasPrefix(row.ErrorMessage, "bench: 3 runs") {
		t.Fatalf("row %+v, want the 3 runs, Cancelled", row)
	}
}
