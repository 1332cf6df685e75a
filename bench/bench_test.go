package bench

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// The statistics of a long bench: 100k round trips sorted and bucketed.
func BenchmarkSummarize100k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]time.Duration, 100_000)
	for i := range src {
		src[i] = time.Duration(r.Int64N(int64(50 * time.Millisecond)))
	}
	ds := make([]time.Duration, len(src))
	for b.Loop() {
		copy(ds, src)
		Summarize(ds)
		Histogram(ds, 10)
	}
}

// What the load generator itself costs per call, 4 at once: the bound on
// the rate it can drive against a fast backend.
func BenchmarkRunPerCall(b *testing.B) {
	call := func(context.Context) (Sample, bool) { return Sample{Latency: time.Microsecond}, true }
	for b.Loop() {
		Run(context.Background(), Config{N: 1000, Concurrency: 4, Call: call})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/call")
}
