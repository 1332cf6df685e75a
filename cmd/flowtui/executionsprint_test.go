package main

import (
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// A running execution's duration so far reads in whole seconds; one just
// started (or stamped by a server clock slightly ahead) reads "<1 s", not
// "0 µs" or a negative duration.
func TestARunningExecutionsDurationSoFar(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		started time.Time
		want    string
	}{
		{now.Add(-300 * time.Millisecond), "<1 s so far"},
		{now.Add(2 * time.Second), "<1 s so far"},
		{now.Add(-2500 * time.Millisecond), "2.0 s so far"},
		{now.Add(-90 * time.Second), "1m30s so far"},
	} {
		d := fnf.ExecutionDetail{Status: fnf.StatusRunning, StartedTime: c.started.Format("2006-01-02T15:04:05.000Z")}
		if got := durationCell(d, now); got != c.want {
			t.Errorf("started %s before now: %q, want %q", now.Sub(c.started), got, c.want)
		}
	}
}
