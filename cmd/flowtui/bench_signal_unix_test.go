//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
)

// benchProcess starts `flowtui bench FLOW -c 2 -n 100 --json` as a user
// runs it, on a local Express flow that waits wait seconds, and returns it
// once the bench has begun and its runs are under way.
func benchProcess(t *testing.T, wait int) (cmd *exec.Cmd, stdout, stderr *lockedBuffer, hist string) {
	t.Helper()
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "nap.yaml", fmt.Sprintf("Type: StateMachine\nName: nap\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: %d\n    End: true\n", wait))
	hist = historyAt(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
	cmd = exec.CommandContext(ctx, os.Args[0], "--flows", dir, "--history", hist, "bench", "nap", "-c", "2", "-n", "100", "--json")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stderr, "flowtui: bench nap: 100 runs, 2 at once on local")
	time.Sleep(300 * time.Millisecond) // both runs are in their Wait
	return cmd, stdout, stderr, hist
}

// waitExit waits for cmd and wants exit 130.
func waitExit(t *testing.T, cmd *exec.Cmd, stderr *lockedBuffer) {
	t.Helper()
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("flowtui bench after Ctrl-C: %v, want exit %d\n%s", err, exitInterrupted, stderr.String())
	}
}

// Ctrl-C in the middle of a bench: no run starts any more, the two under
// way end (their Wait is shorter than the grace) and are counted, and the
// summary and its history row say interrupted.
func TestBenchCtrlCWaitsForTheRunsUnderWayAndRecordsTheSummary(t *testing.T) {
	cmd, stdout, stderr, hist := benchProcess(t, 1)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd, stderr)
	var got bench.Summary
	decodeStrict(t, stdout.String(), &got)
	if got.Stopped != bench.StopInterrupted || got.Runs != 2 || got.Succeeded != 2 || got.Unfinished != 0 || got.HistoryId == 0 {
		t.Fatalf("summary %+v; want interrupted after the 2 runs under way, both counted, recorded", got)
	}
	wantContains(t, "stderr", stderr.String(), "waiting up to 5s for the 2 runs under way", "interrupted after 2 runs: the summary covers those, the runs under way included")
	if runs := openRuns(t, hist); len(runs) != 1 || !runs[0].IsBench() || runs[0].Status != fnf.StatusCancelled {
		t.Fatalf("history %+v, want one bench row, Cancelled", runs)
	}
}

// A second Ctrl-C does not wait out the grace: the runs under way are
// stopped, not counted, and the summary of what ran is still printed and
// recorded.
func TestBenchSecondCtrlCStopsTheRunsUnderWay(t *testing.T) {
	cmd, stdout, stderr, hist := benchProcess(t, 9)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stderr, "interrupt again to stop them now")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd, stderr)
	var got bench.Summary
	decodeStrict(t, stdout.String(), &got)
	if got.Stopped != bench.StopInterrupted || got.Runs != 0 || got.Unfinished != 2 || got.HistoryId == 0 {
		t.Fatalf("summary %+v; want interrupted, 0 runs, 2 unfinished, recorded", got)
	}
	wantContains(t, "stderr", stderr.String(), "interrupted again: stopping the runs under way now",
		"2 runs were still under way, not counted: stopped — the local run was cancelled")
	if runs := openRuns(t, hist); len(runs) != 1 || runs[0].Status != fnf.StatusCancelled {
		t.Fatalf("history %+v, want one bench row, Cancelled", runs)
	}
}
