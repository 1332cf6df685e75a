package result

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

func TestTimingTabOfABenchShowsItsStatistics(t *testing.T) {
	sum := bench.Summary{FlowName: "orders", Backend: "local", Concurrency: 4, Runs: 100, Succeeded: 98,
		Errors: map[string]int{"Order.\x1b[2JDeclined": 2}, ElapsedMs: 500, Throughput: 200, Stopped: bench.StopCount,
		RoundTripMs: bench.MsStats{Count: 100, P50: 12, P90: 20, P99: 31, Max: 40},
		ServerMs:    bench.MsStats{Count: 100, P50: 10, P90: 18, P99: 29, Max: 38},
		Histogram:   []bench.MsBucket{{UpToMs: 20, Count: 90}, {UpToMs: 40, Count: 10}}}
	row := history.FromBench(fnf.Info{Kind: "local"}, fnf.SyncRequest{FlowName: "orders"}, clock, sum)
	m := showing(t, newTestModel(t, 100, 30), msgs.RunView{Run: row})
	m, _ = press(t, m, "3")
	v := plainView(m)
	for _, want := range []string{"bench orders on local: 100 runs", "succeeded 98, errors 2", "p50", "12.0ms", "31.0ms",
		"2  Order.^[[2JDeclined", "<=      20.0ms      90 |#"} {
		if !strings.Contains(v, want) {
			t.Errorf("a bench's Timing tab lacks %q:\n%s", want, v)
		}
	}
	// In a narrow pane the bars are cut, never wrapped onto lines of their
	// own: every line of #s is a bucket's, with its label and count.
	narrow := showing(t, newTestModel(t, 50, 30), msgs.RunView{Run: row})
	narrow, _ = press(t, narrow, "3")
	for _, l := range strings.Split(plainView(narrow), "\n") {
		if strings.Contains(l, "##") && !strings.Contains(l, "<=") {
			t.Errorf("a histogram bar wrapped at 50 columns:\n%s", plainView(narrow))
			break
		}
	}
	if strings.Contains(v, "server started") {
		t.Errorf("a bench's Timing tab shows one run's times:\n%s", v)
	}
}
