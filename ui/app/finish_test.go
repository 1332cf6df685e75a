package app

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	_ "modernc.org/sqlite"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Quitting (q, ctrl+c) or an interrupt while a run is in flight: once the
// program has returned, Finish records the run as Cancelled, with the time
// to the quit and what became of it (a cloud execution goes on
// server-side), within a short grace, and says so for the terminal. The
// late return of the stopped call records nothing more.
func TestQuittingWithARunInFlightStillRecordsIt(t *testing.T) {
	for _, tc := range []struct {
		name, quit string
		cloud      bool
		says       string
	}{
		{"q local", "q", false, "the local run was cancelled"},
		{"ctrl+c cloud", "ctrl+c", true, "goes on server-side"},
		{"interrupt cloud", "", true, "goes on server-side"}, // the program ends without a key
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
			var b fnf.Backend = &blockingBackend{Backend: mustLocal(t)}
			if tc.cloud {
				b = cloudInfo{b}
			}
			h := newHarness(t, 120, 40, func(o *Options) {
				o.Backend = b
				o.Now = func() time.Time { return clock }
				o.Runner = session.New(o.History, session.Options{Now: o.Now, ExitGrace: 200 * time.Millisecond})
			})
			h.selectFlow("order-routing")
			var call tea.Cmd
			h.m, call = h.m.Update(keyPress("ctrl+r"))
			clock = clock.Add(2100 * time.Millisecond)
			if tc.quit != "" {
				h.key(tc.quit)
				if !h.quit {
					t.Fatalf("%s did not quit", tc.quit)
				}
			}
			clock = clock.Add(time.Second) // the exit takes a while

			note := h.model().Finish()
			runs, err := h.history.List(context.Background(), history.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 || runs[0].Status != fnf.StatusCancelled {
				t.Fatalf("history %+v, want the run in flight, Cancelled", runs)
			}
			want := 2100 * time.Millisecond // to the quit key
			if tc.quit == "" {
				want = 3100 * time.Millisecond // to the interrupt
			}
			if r := runs[0]; r.Latency != want || !strings.Contains(r.ErrorMessage, tc.says) {
				t.Fatalf("recorded %v %q, want %v and %q", r.Latency, r.ErrorMessage, want, tc.says)
			}
			for _, s := range []string{"order-routing", "Cancelled after " + strings.ReplaceAll(want.String(), "s", " s"), tc.says, "recorded in the history as run"} {
				if !strings.Contains(note, s) {
					t.Fatalf("exit note %q lacks %q", note, s)
				}
			}
			for _, msg := range collect(call) {
				if _, ok := msg.(msgs.RunFinished); ok {
					t.Fatal("the stopped call's late return sent its result too")
				}
			}
			if n, _ := h.history.Count(context.Background()); n != 1 {
				t.Fatalf("%d rows, want the one", n)
			}
			if again := h.model().Finish(); again != "" {
				t.Fatalf("a second Finish said %q", again)
			}
		})
	}
}

// A stopped call that returns within the grace records its own answer:
// Finish waits for it rather than writing a second row.
func TestFinishWaitsForTheStoppedCallToRecordItself(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = &blockingBackend{Backend: mustLocal(t)} })
	h.selectFlow("order-routing")
	var call tea.Cmd
	h.m, call = h.m.Update(keyPress("ctrl+r"))
	go call()
	h.key("q")
	note := h.model().Finish()
	if rs, _ := h.history.List(context.Background(), history.Filter{}); len(rs) != 1 || rs[0].Status != fnf.StatusCancelled {
		t.Fatalf("rows %+v, want one Cancelled (note %q)", rs, note)
	}
	if !strings.Contains(note, "recorded in the history as run 1") {
		t.Fatalf("exit note %q", note)
	}
	if h.model().Finish() != "" {
		t.Fatal("no run is in flight after Finish")
	}
}

// Nothing in flight: Finish has nothing to say and returns at once.
func TestFinishWithoutARunSaysNothing(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.key("ctrl+r")
	if note := h.model().Finish(); note != "" {
		t.Fatalf("Finish after a finished run said %q", note)
	}
}

// A history file locked by another program (a long write, a backup) makes
// the write wait in the driver: the run still ends on screen, saying it was
// not recorded, instead of the TUI hanging on it.
func TestAStuckHistoryWriteDoesNotHangTheRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	hs, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	h := newHarness(t, 120, 40, func(o *Options) {
		o.History = hs
		o.Runner = session.New(hs, session.Options{Now: o.Now, RecordTimeout: 100 * time.Millisecond})
	})
	h.selectFlow("order-routing")

	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	h.key("ctrl+r")
	h.wantScreen("Succeeded")
	h.key("ctrl+l") // the message log holds the status message in full
	h.wantScreen("this run was not recorded in the history", "did not answer within 100 ms")
}

// Credentials that cannot be had fail the first call before anything is
// sent: no run, so no history row and no Runs row; Result and the status bar
// say it is a set-up problem and that nothing was sent.
func TestASetUpErrorIsNotRecordedAsARun(t *testing.T) {
	se := &fnf.SetupError{Offset: -1, Msg: "credentials from profile default: AccessKey ID or secret is empty (nothing was sent)"}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = cloudInfo{setupFailing{mustLocal(t), se}} })
	h.selectFlow("order-routing")
	h.key("ctrl+r")
	if n, _ := h.history.Count(context.Background()); n != 0 {
		t.Fatalf("a set-up error was recorded as %d run(s)", n)
	}
	h.wantScreen("Result · not run · order-routing", "Not run: a set-up problem", "nothing was sent")
	if strings.Contains(h.screen(), "Error ·") || strings.Contains(h.screen(), "Failed") {
		t.Fatalf("a set-up problem shown as a run:\n%s", h.screen())
	}
	h.key("ctrl+l")
	h.wantScreen("AccessKey ID or secret is empty")
	if h.model().Finish() != "" {
		t.Fatal("a set-up problem is no run to finish")
	}
}

type setupFailing struct {
	fnf.Backend
	err error
}

func (s setupFailing) StartSyncExecution(context.Context, fnf.SyncRequest) (*fnf.SyncResult, error) {
	return nil, s.err
}

// As the program runs it, the stopped call returns and records itself
// before Finish is called: Finish still tells of the run the quit stopped.
func TestQuittingTellsOfTheRunEvenWhenItRecordedItself(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = &blockingBackend{Backend: mustLocal(t)} })
	h.selectFlow("order-routing")
	var call tea.Cmd
	h.m, call = h.m.Update(keyPress("ctrl+r"))
	h.key("q")
	collect(call) // the call returns at once: q stopped it; it records its own row
	if rs, _ := h.history.List(context.Background(), history.Filter{}); len(rs) != 1 {
		t.Fatalf("the stopped call recorded %d rows, want its own", len(rs))
	}
	note := h.model().Finish()
	if !strings.Contains(note, "the run of order-routing: Cancelled") || !strings.Contains(note, "recorded in the history as run 1") {
		t.Fatalf("exit note %q, want the run q stopped", note)
	}
}
