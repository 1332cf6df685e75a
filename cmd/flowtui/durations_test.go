package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

var zeroMs = regexp.MustCompile(`(^|\s)0 ms`)

// A cancelled cloud run has no server times, only the wait the client
// measured: the history says so instead of showing 0 ms.
func TestHistoryShowsTheRoundTripOfAStoppedCloudRunNotAZeroDuration(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Minute)
	id, err := s.Add(context.Background(), history.Run{FlowName: "slow", Backend: history.BackendCloud,
		Status: fnf.StatusCancelled, ErrorMessage: "stopped waiting", ClientStart: t0, Latency: 2100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, stdout, stderr := runCLI(t, "history", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history", stdout, "SERVER", "ROUND TRIP", "—", "2100 ms")
	if zeroMs.MatchString(stdout) {
		t.Errorf("a duration nobody measured is shown as 0 ms:\n%s", stdout)
	}
	code, stdout, stderr = runCLI(t, "history", "show", strconv.FormatInt(id, 10), "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "—", "2100 ms")
	if zeroMs.MatchString(stdout) {
		t.Errorf("a duration nobody measured is shown as 0 ms:\n%s", stdout)
	}
}

// An interrupted local run was stopped by flowtui's own engine: the history
// holds the time it ran, as the TUI records it.
func TestAnInterruptedLocalRunRecordsTheTimeItRan(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "h.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 := time.Now()
	stop := cancelWhen(t, cancel, func() bool { return time.Since(t0) > time.Second }) // the run has started by then, even under -race
	defer stop()
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "wait-then-go", "--local", "--history", path, "--input", `{"orderId":"A-1","seconds":15}`)
	wantCode(t, code, 130, stdout, stderr)
	took := time.Since(t0)

	r := storedRun(t, path)
	d, ok := r.ServerDuration()
	// The run starts a little after t0, once its input and history are read
	// (later still under -race): the duration is the time it ran until the
	// stop, never 0 and never the Wait's 15 s.
	if r.Status != fnf.StatusCancelled || !ok || d <= 0 || d > took {
		t.Fatalf("recorded %s, duration %v (known %v); want Cancelled, more than 0, at most %v", r.Status, d, ok, took)
	}
	if r.Latency < d-time.Millisecond || r.Latency > took { // times are stored to the millisecond
		t.Errorf("round trip %v, want the time to the stop (%v to %v)", r.Latency, d, took)
	}
	code, stdout, stderr = runCLI(t, "history", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	if regexp.MustCompile(`Cancelled\s+—`).MatchString(stdout) {
		t.Errorf("the local run's duration is shown as unknown:\n%s", stdout)
	}
}
