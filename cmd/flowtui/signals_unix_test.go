//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// SIGHUP (a closed terminal, an ended session) ends a local Standard run as
// SIGTERM and Ctrl-C do: the execution is stopped and recorded Stopped, and
// flowtui exits 130; it used to die with the row Running forever.
func TestSIGHUPStopsALocalStandardRunAndRecordsIt(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			isolate(t)
			path := historyAt(t)
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "--flows", e2eFlows(t), "--history", path, "run", "std-hold")
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitRow(t, path, fnf.StatusRunning)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
				t.Fatalf("flowtui after %s: %v, want exit %d", sig, err, exitInterrupted)
			}
			if runs := openRuns(t, path); len(runs) != 1 || runs[0].Status != fnf.StatusStopped {
				t.Errorf("history after %s = %+v, want one row Stopped", sig, runs)
			}
		})
	}
}

// waitRow waits (for real, a few seconds at most) until the history at
// path has a row with status.
func waitRow(t *testing.T, path string, status fnf.Status) {
	t.Helper()
	for range 400 {
		if _, err := os.Stat(path); err == nil {
			hs, err := history.Open(context.Background(), history.Options{Path: path})
			if err == nil {
				runs, _ := hs.List(context.Background(), history.Filter{})
				hs.Close()
				if len(runs) == 1 && runs[0].Status == status {
					return
				}
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no run %s in %s", status, path)
}
