package history

import (
	"fmt"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// ModeBench marks a bench summary row: one row for a whole `flowtui bench`,
// never one per call. The mode column is free text (schema v2), so the row
// needs no new column and no migration; a build that does not know the mode
// lists it as a run whose message is the summary.
const ModeBench = "Bench"

// BenchSummary is what a bench row keeps of a bench.
type BenchSummary struct {
	Runs, Errors int
	P50, P99     time.Duration // client round trip
	Interrupted  bool          // stopped by the user before its bound
	// JSON is the whole summary (`bench --json`), kept as the row's output.
	JSON string
}

// FromBench is the history row of a bench of req.FlowName started at start:
// Succeeded when every call succeeded, Failed when some did not, Cancelled
// when interrupted; the round-trip column holds the p50 and the message
// says the rest, so that `history` lists it on one line and searches find it.
func FromBench(info fnf.Info, req fnf.SyncRequest, start time.Time, s BenchSummary) Run {
	r := Run{
		FlowName: req.FlowName, Backend: info.Kind, Endpoint: info.Endpoint, Region: info.Region,
		Profile: info.Profile, TestCase: req.TestCase, ClientStart: start, Mode: ModeBench,
		Input: req.Input, InputBytes: len(req.Input), Output: s.JSON, OutputBytes: len(s.JSON),
		Status: fnf.StatusSucceeded, Latency: s.P50,
		// No execution has this name: lists that show a run by the name asked
		// for (the TUI's Runs) show this one as the bench it is.
		RequestedName: fmt.Sprintf("bench n=%d", s.Runs),
	}
	if s.Errors > 0 {
		r.Status = fnf.StatusFailed
	}
	if s.Interrupted {
		r.Status = fnf.StatusCancelled
	}
	r.ErrorMessage = fmt.Sprintf("bench: %d runs, %d errors, p50 %s, p99 %s", s.Runs, s.Errors, fmtMs(s.P50), fmtMs(s.P99))
	return r
}

// IsBench reports whether r is a bench summary row.
func (r Run) IsBench() bool { return r.Mode == ModeBench }

func fmtMs(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return fmt.Sprintf("%.2fms", ms)
	}
	return fmt.Sprintf("%.1fms", ms)
}
