package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
)

func TestBenchSummaryIsOneRowListedAndKept(t *testing.T) {
	s := openTest(t, Options{})
	info := fnf.Info{Kind: fnf.KindCloud, Endpoint: "http://127.0.0.1:8080"}
	req := fnf.SyncRequest{FlowName: "orders", Input: `{"n":1}`}
	sum := bench.Summary{FlowName: "orders", Runs: 100, Succeeded: 98, Errors: map[string]int{"Throttling": 2},
		RoundTripMs: bench.MsStats{Count: 100, P50: 12, P99: 30.1}, Stopped: bench.StopCount}
	summary := sum.Compact()
	id := mustAdd(t, s, FromBench(info, req, t0, sum))

	runs, err := s.List(context.Background(), Filter{})
	if err != nil || len(runs) != 1 {
		t.Fatalf("List = %d runs, %v; want the one bench row", len(runs), err)
	}
	r := runs[0]
	if !r.IsBench() || r.Status != fnf.StatusFailed || r.Latency != 12*time.Millisecond {
		t.Errorf("row: mode %q status %q latency %v; want Bench, Failed (2 errors), p50 12ms", r.Mode, r.Status, r.Latency)
	}
	if r.RequestedName != "bench n=100" {
		t.Errorf("requested name %q, want bench n=100: the name the TUI's Runs show", r.RequestedName)
	}
	if want := "bench: 100 runs, 2 errors, p50 12.0ms, p99 30.1ms"; r.ErrorMessage != want {
		t.Errorf("message %q, want %q", r.ErrorMessage, want)
	}
	full, err := s.Get(context.Background(), id)
	if err != nil || full.Output != summary {
		t.Errorf("Get: output %q, %v; want the summary JSON", full.Output, err)
	}
	found, err := s.List(context.Background(), Filter{Search: "bench"})
	if err != nil || len(found) != 1 {
		t.Errorf("search bench: %d rows, %v; want the summary", len(found), err)
	}
}

func TestBenchSummaryStatus(t *testing.T) {
	for _, tc := range []struct {
		s    bench.Summary
		want fnf.Status
	}{
		{bench.Summary{Runs: 5, Succeeded: 5, Stopped: bench.StopCount}, fnf.StatusSucceeded},
		{bench.Summary{Runs: 5, Succeeded: 4, Stopped: bench.StopDuration}, fnf.StatusFailed},
		{bench.Summary{Runs: 3, Succeeded: 3, Stopped: bench.StopInterrupted}, fnf.StatusCancelled},
	} {
		r := FromBench(fnf.Info{Kind: fnf.KindLocal}, fnf.SyncRequest{FlowName: "f"}, t0, tc.s)
		if r.Status != tc.want || !strings.HasPrefix(r.ErrorMessage, "bench: ") {
			t.Errorf("%+v: status %q message %q, want %q and a bench message", tc.s, r.Status, r.ErrorMessage, tc.want)
		}
	}
}
