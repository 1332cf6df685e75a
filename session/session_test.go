package session

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/human"
)

// An interrupt of the command line (a cancelled context without a user's
// stop) records the run as Cancelled, with the time up to now; a user's stop
// records the time up to the stop, whatever the clock says since.
func TestRowOfAStoppedRunTakesTheTimeOfTheStop(t *testing.T) {
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	now := start.Add(3 * time.Second)
	info := fnf.Info{Kind: fnf.KindLocal}
	req := fnf.SyncRequest{FlowName: "f"}
	stopped := errors.New("stopped waiting: context canceled")

	interrupted, cancel := context.WithCancel(context.Background())
	cancel()
	if r := Row(interrupted, info, req, nil, stopped, start, now); r.Status != fnf.StatusCancelled || r.Latency != 3*time.Second {
		t.Fatalf("interrupted: %s after %v, want Cancelled after 3s", r.Status, r.Latency)
	}
	byUser, stop := context.WithCancelCause(context.Background())
	stop(Stopped{At: start.Add(time.Second)})
	if r := Row(byUser, info, req, nil, stopped, start, now); r.Status != fnf.StatusCancelled || r.Latency != time.Second {
		t.Fatalf("stopped: %s after %v, want Cancelled after 1s", r.Status, r.Latency)
	}
	if r := Row(context.Background(), info, req, nil, errors.New("boom"), start, now); r.Status != fnf.StatusError {
		t.Fatalf("a failed call: %s, want Error", r.Status)
	}
}

// A write whose context ends gives up with that context's reason, not a
// made-up timeout.
func TestAddWithinSaysWhyItGaveUp(t *testing.T) {
	hs, err := history.Open(context.Background(), history.Options{Path: filepath.Join(t.TempDir(), "h.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	rec := history.Run{FlowName: "f", Status: fnf.StatusSucceeded}
	if id, err := AddWithin(context.Background(), hs, rec, time.Second); err != nil || id == 0 {
		t.Fatalf("write: %d %v", id, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AddWithin(ctx, hs, rec, time.Second); err == nil || strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("a cancelled write said %v", err)
	}
}

// The exit note gives a stopped local run the duration Runs and the history
// show for it (the engine's), not the slightly longer wait of the call.
func TestExitNoteShowsTheDurationTheHistoryShows(t *testing.T) {
	start := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
	rec := history.Run{FlowName: "wait-then-go", Status: fnf.StatusCancelled, ID: 12,
		StartedTime: start, StoppedTime: start.Add(1450 * time.Millisecond), Latency: 1460 * time.Millisecond}
	note := exitNote(rec, nil)
	if !strings.Contains(note, "Cancelled after "+human.Duration(1450*time.Millisecond)) {
		t.Fatalf("exit note %q, want the engine's 1.45 s as Runs shows it", note)
	}
}
