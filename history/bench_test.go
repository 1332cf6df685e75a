package history

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Budgets (BENCHMARKS.md), 100k runs: insert ≤ 1 ms, list 100 newest ≤ 5 ms,
// full-text search ≤ 50 ms. Run: go test ./history -run '^$' -bench . -benchmem

const benchRuns = 100_000

// benchFlow spreads the fixture over flows of very different sizes: the
// per-flow lists are measured on a flow of 1 run in 5 and one of 1 in 50.
func benchFlow(i int) string {
	switch {
	case i%50 == 0:
		return "rare-flow"
	case i%5 == 0:
		return "order-flow"
	case i%5 == 1:
		return "image-resize"
	case i%5 == 2:
		return "etl-nightly"
	case i%5 == 3:
		return "notify"
	}
	return "payments"
}

// benchRun is run i of the fixture: every input and output is distinct, one
// run in 1000 mentions "needle", every one mentions "customer".
func benchRun(i int) Run {
	r := Run{
		FlowName: benchFlow(i), Name: fmt.Sprintf("run-%d:%08x-1f2e-4d3c-8b4a-%012x", i, i*7919, i*104729),
		Backend: BackendLocal, Status: "Succeeded", RequestID: fmt.Sprintf("%08X-AAAA-BBBB-CCCC-%012X", i, i),
		Input: fmt.Sprintf(`{"orderId":"A-%d","customer":{"id":"c-%d","name":"Customer %d","tier":"gold"},`+
			`"items":[{"sku":"SKU-%d","qty":%d,"price":%d.99},{"sku":"SKU-%d","qty":1,"price":5.00}],`+
			`"currency":"CNY","note":"deliver before noon to dock %d"}`, i, i%5000, i%5000, i%977, i%7+1, i%300, i%1009, i%40),
		Output: fmt.Sprintf(`{"status":"paid","orderId":"A-%d","charged":%d.99,"receipt":"R-%d",`+
			`"warehouse":"wh-%d","eta":"2026-11-%02dT12:00:00Z","steps":["validate","charge","ship"]}`, i, i%300, i*31, i%12, i%28+1),
	}
	if i%1000 == 0 {
		r.Input = r.Input[:len(r.Input)-1] + `,"flag":"needle"}`
	}
	if i%20 == 0 {
		r.Status, r.ErrorCode, r.ErrorMessage = "Failed", "Card.Declined", fmt.Sprintf("card of customer c-%d declined: insufficient funds", i%5000)
	}
	return r
}

// cpuTime is this process's user+system CPU time. The figures are also
// reported per op in CPU time, which other load on a shared machine does not
// inflate the way it inflates ns/op.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkAdd(b *testing.B) {
	s := benchStore(b, benchRuns, Options{}, 0)
	ctx := context.Background()
	i := benchRuns
	cpu := cpuTime(b)
	for b.Loop() {
		i++
		if _, err := s.Add(ctx, benchRun(i)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkAddAtCap: a full history (cap 100k runs), so every Add also
// deletes the oldest run with its index entries.
func BenchmarkAddAtCap(b *testing.B) {
	s := benchStore(b, benchRuns, Options{MaxRuns: benchRuns}, 0)
	ctx := context.Background()
	i := benchRuns
	cpu := cpuTime(b)
	for b.Loop() {
		i++
		if _, err := s.Add(ctx, benchRun(i)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	if n, _ := s.Count(ctx); n != benchRuns {
		b.Errorf("Count = %d at the cap, want %d", n, benchRuns)
	}
}

func benchList(b *testing.B, s *Store, f Filter, want int) {
	b.Helper()
	ctx := context.Background()
	cpu := cpuTime(b)
	for b.Loop() {
		runs, err := s.List(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		if len(runs) != want {
			b.Fatalf("List(%+v) = %d runs, want %d", f, len(runs), want)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkListNewest100(b *testing.B) {
	s := benchStore(b, benchRuns, Options{}, 0)
	benchList(b, s, Filter{Limit: 100}, 100)
}

// BenchmarkListBodies: lists cost the same whether the runs carry 0.3 KiB
// or 16 KiB of body each, since they never read run_bodies.
func BenchmarkListBodies(b *testing.B) {
	for _, pad := range []int{0, 16 << 10} {
		s := benchStore(b, 10_000, Options{}, pad)
		b.Run(fmt.Sprintf("pad-%dKiB", pad>>10), func(b *testing.B) { benchList(b, s, Filter{Limit: 100}, 100) })
		b.Run(fmt.Sprintf("pad-%dKiB-get", pad>>10), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				if _, err := s.Get(ctx, 5000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkListFlowNewest100(b *testing.B) {
	s := benchStore(b, benchRuns, Options{}, 0)
	b.Run("large-flow", func(b *testing.B) { benchList(b, s, Filter{Flow: "order-flow", Limit: 100}, 100) })
	b.Run("rare-flow", func(b *testing.B) { benchList(b, s, Filter{Flow: "rare-flow", Limit: 100}, 100) })
	b.Run("rare-flow-page-500", func(b *testing.B) {
		benchList(b, s, Filter{Flow: "rare-flow", Limit: 100, BeforeID: benchRuns - 50*500}, 100)
	})
	b.Run("status-failed", func(b *testing.B) { benchList(b, s, Filter{Status: "Failed", Limit: 100}, 100) })
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b, benchRuns, Options{}, 0)
	// A word in every run: newest 100 straight off the index.
	b.Run("common", func(b *testing.B) { benchList(b, s, Filter{Search: "customer", Limit: 100}, 100) })
	// A word in 1 run of 1000: all 100 matches.
	b.Run("rare", func(b *testing.B) { benchList(b, s, Filter{Search: "needle", Limit: 100}, 100) })
	// One exact order id (a phrase of two tokens).
	b.Run("phrase", func(b *testing.B) { benchList(b, s, Filter{Search: "A-54321"}, 1) })
	// Error text, restricted to one flow.
	b.Run("error-in-flow", func(b *testing.B) {
		benchList(b, s, Filter{Search: "insufficient", Flow: "order-flow", Limit: 100}, 100)
	})
	// Two words matching 1 run in 5000 and 1 in 20: 20 runs have both.
	b.Run("two-words", func(b *testing.B) { benchList(b, s, Filter{Search: "c-1240 declined"}, 20) })
}

// BenchmarkOpen: opening a 100k-run history (the TUI's first frame waits
// for it) and reading the first page of runs.
func BenchmarkOpen(b *testing.B) {
	s := benchStore(b, benchRuns, Options{}, 0)
	ctx := context.Background()
	cpu := cpuTime(b)
	for b.Loop() {
		o, err := Open(ctx, Options{Path: s.Path()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := o.List(ctx, Filter{}); err != nil {
			b.Fatal(err)
		}
		if err := o.Close(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkRecordLoopingRun: recording a run whose trace has 300,000 steps
// (about 150 MB as JSON), as a looping flow made before the event limit:
// FromSync and Add keep what the per-run budget allows.
func BenchmarkRecordLoopingRun(b *testing.B) {
	s := benchStore(b, 0, Options{}, 0)
	ctx := context.Background()
	res := loopResult(300_000)
	cpu := cpuTime(b)
	for b.Loop() {
		rec := FromSync(fnf.Info{Kind: BackendLocal}, fnf.SyncRequest{FlowName: "loop", Input: `{}`}, res, nil, t0, false)
		if _, err := s.Add(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
