package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// pollingLoop is a flow that calls an HTTP endpoint for ever; each answer is
// a new 50 KiB document, so its trace grows by about 100 KiB a step.
func pollingLoop(t *testing.T) (flowsDir string, calls *atomic.Int64) {
	t.Helper()
	calls = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := calls.Add(1)
		time.Sleep(2 * time.Millisecond)
		fmt.Fprintf(w, `{"n":%d,"pad":"%s"}`, n, strings.Repeat("p", 50<<10))
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	writeFile(t, dir, "poll.yaml", `Type: StateMachine
Name: poll
SpecVersion: v1
StartAt: Poll
States:
  - Type: Task
    Name: Poll
    Action: HTTP:Request
    Parameters:
      url: `+srv.URL+`
    Next: Poll
`)
	return dir, calls
}

// storedRun is the newest run of the history at path.
func storedRun(t *testing.T, path string) history.Run {
	t.Helper()
	s, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.List(context.Background(), history.Filter{Limit: 1})
	if err != nil || len(runs) != 1 {
		t.Fatalf("history: %v, %d runs", err, len(runs))
	}
	r, err := s.Get(context.Background(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestALoopingFlowWithHistoryEndsAtItsTimeoutAndStoresABoundedRun(t *testing.T) {
	isolate(t)
	flows, calls := pollingLoop(t)
	db := filepath.Join(t.TempDir(), "h.db")
	code, stdout, stderr := runCLI(t, "run", "poll", "--flows", flows, "--history", db, "--timeout", "1s", "--input", `{}`)
	wantCode(t, code, 1, stdout, stderr)
	wantContains(t, "stderr", stderr, "TimedOut", "FnF.Timeout", "time limit of 1s")
	r := storedRun(t, db)
	if r.Status != "TimedOut" {
		t.Errorf("recorded status %q; want TimedOut", r.Status)
	}
	if calls.Load() < 60 {
		t.Skipf("only %d calls in 1 s: too few steps to pass the per-run budget", calls.Load())
	}
	if len(r.Trace) > history.DefaultMaxRunBytes || history.TraceNote(r.Trace) == "" {
		t.Errorf("stored trace of %d bytes (budget %d), note %q; want it cut, saying so", len(r.Trace), history.DefaultMaxRunBytes, history.TraceNote(r.Trace))
	}
}

func TestInterruptingALoopingFlowWithHistoryExits130AndRecordsItBounded(t *testing.T) {
	isolate(t)
	flows, calls := pollingLoop(t)
	db := filepath.Join(t.TempDir(), "h.db")
	ctx, cancel := context.WithCancel(context.Background())
	stop := cancelWhen(t, cancel, func() bool { return calls.Load() >= 60 })
	defer stop()
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "poll", "--flows", flows, "--history", db, "--input", `{}`)
	wantCode(t, code, 130, stdout, stderr)
	r := storedRun(t, db)
	if r.Status != fnf.StatusCancelled {
		t.Errorf("recorded status %q; want Cancelled", r.Status)
	}
	if len(r.Input)+len(r.Output)+len(r.Trace) > history.DefaultMaxRunBytes {
		t.Errorf("stored %d bytes; the per-run budget is %d", len(r.Input)+len(r.Output)+len(r.Trace), history.DefaultMaxRunBytes)
	}
}

func TestAOneStatePassLoopFailsAtTheEventLimitAndIsRecordedSmall(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "loop.yaml", "Type: StateMachine\nName: loop\nSpecVersion: v1\nStartAt: Again\nStates:\n  - Type: Pass\n    Name: Again\n    Next: Again\n")
	db := filepath.Join(t.TempDir(), "h.db")
	code, stdout, stderr := runCLI(t, "run", "loop", "--flows", dir, "--history", db, "--timeout", "5s", "--input", `{"a":1}`)
	wantCode(t, code, 1, stdout, stderr)
	wantContains(t, "stderr", stderr, "Failed", "FnF.EventLimitExceeded", "5000 events")
	r := storedRun(t, db)
	if r.ErrorCode != "FnF.EventLimitExceeded" || len(r.Trace) > history.DefaultMaxRunBytes {
		t.Errorf("recorded %s with a %d-byte trace", r.ErrorCode, len(r.Trace))
	}
}
