package history

import (
	"fmt"
	"time"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/human"
)

// ModeBench marks a bench summary row: one row for a whole `flowtui bench`,
// never one per call. The mode column is free text (schema v2), so the row
// needs no new column and no migration; a build that does not know the mode
// lists it as a run whose message is the summary.
const ModeBench = "Bench"

// FromBench is the history row of a bench of req.FlowName started at start:
// Succeeded when every call succeeded, Failed when some did not, Cancelled
// when interrupted; the round-trip column holds the p50 and the message
// says the rest, so that `history` lists it on one line and searches find it.
// The whole summary (`bench --json`) is kept as the row's output.
func FromBench(info fnf.Info, req fnf.SyncRequest, start time.Time, sum bench.Summary) Run {
	errs := sum.Runs - sum.Succeeded
	p50, p99 := msDuration(sum.RoundTripMs.P50), msDuration(sum.RoundTripMs.P99)
	summary := sum.Compact()
	r := Run{
		FlowName: req.FlowName, Backend: info.Kind, Endpoint: info.Endpoint, Region: info.Region,
		Profile: info.Profile, TestCase: req.TestCase, ClientStart: start, Mode: ModeBench,
		Input: req.Input, InputBytes: len(req.Input), Output: summary, OutputBytes: len(summary),
		Status: fnf.StatusSucceeded, Latency: p50,
		// No execution has this name: lists that show a run by the name asked
		// for (the TUI's Runs) show this one as the bench it is.
		RequestedName: fmt.Sprintf("bench n=%d", sum.Runs),
		ErrorMessage: fmt.Sprintf("bench: %s, %s, p50 %s, p99 %s", human.Count(sum.Runs, "run", "runs"), human.Count(errs, "error", "errors"),
			bench.Ms(p50), bench.Ms(p99)),
	}
	if sum.Runs == 0 {
		r.ErrorMessage = "bench: 0 runs" // nothing measured: no figures to give
	}
	switch {
	case sum.Stopped == bench.StopInterrupted:
		r.Status = fnf.StatusCancelled
	case errs > 0:
		r.Status = fnf.StatusFailed
	}
	return r
}

// IsBench reports whether r is a bench summary row.
func (r Run) IsBench() bool { return r.Mode == ModeBench }

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
