// Package bench runs a flow many times and measures it: a bounded load
// generator with a token-bucket rate limit and a stop on throttling storms,
// and the statistics and terminal histogram of what it measured. It draws
// nothing but plain text; the command and the TUI lay it out.
package bench

import (
	"math"
	"slices"
	"time"
)

// Sample is what one StartSyncExecution call gave.
type Sample struct {
	Latency   time.Duration // client round trip
	Server    time.Duration // StoppedTime − StartedTime; valid when HasServer
	HasServer bool
	// Code is "" for a Succeeded execution; else the execution's error code
	// (or its status when it has none), or the API error's code.
	Code      string
	Throttled bool
}

// Percentiles of a set of durations, by the nearest-rank method: P50 is
// the smallest value at or above which half the values lie, a value that
// was measured, never an interpolation.
type Percentiles struct {
	Count              int
	Min, P50, P90, P99 time.Duration
	Max, Mean          time.Duration
}

// Summarize computes the percentiles of ds (which it sorts in place).
func Summarize(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Percentiles{
		Count: len(ds), Min: ds[0], Max: ds[len(ds)-1], Mean: sum / time.Duration(len(ds)),
		P50: rank(ds, 50), P90: rank(ds, 90), P99: rank(ds, 99),
	}
}

// rank is the nearest-rank p-th percentile of sorted ds: the value at
// position ⌈p/100·n⌉ (1-based).
func rank(sorted []time.Duration, p int) time.Duration {
	i := int(math.Ceil(float64(p)*float64(len(sorted))/100)) - 1
	return sorted[max(i, 0)]
}

// Stop says why a bench ended.
type Stop string

const (
	StopCount       Stop = "count"       // -n runs were made
	StopDuration    Stop = "duration"    // --duration passed
	StopThrottling  Stop = "throttling"  // a throttling storm (Storm)
	StopInterrupted Stop = "interrupted" // the context was cancelled (Ctrl-C)
)

// Report is a bench's outcome.
type Report struct {
	Runs      int            // calls that completed (an interrupted call is not counted)
	Succeeded int            // executions that ended Succeeded
	Errors    map[string]int // by Sample.Code
	Elapsed   time.Duration  // first start to last end
	Latency   Percentiles    // client round trip, every completed call
	Server    Percentiles    // server duration, calls that returned both times
	Stopped   Stop
	Samples   []Sample // in completion order
	// Unfinished is the calls under way as the bench ended that were cut
	// short (or left behind) and not counted.
	Unfinished int
}

// Throughput is completed calls per second of elapsed time.
func (r Report) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Runs) / r.Elapsed.Seconds()
}

// summarize fills in the statistics from the samples.
func (r *Report) summarize() {
	r.Runs, r.Succeeded, r.Errors = len(r.Samples), 0, map[string]int{}
	lat := make([]time.Duration, 0, len(r.Samples))
	var srv []time.Duration
	for _, s := range r.Samples {
		lat = append(lat, s.Latency)
		if s.HasServer {
			srv = append(srv, s.Server)
		}
		if s.Code == "" {
			r.Succeeded++
		} else {
			r.Errors[s.Code]++
		}
	}
	r.Latency, r.Server = Summarize(lat), Summarize(srv)
}

// Latencies returns the client round trips of the samples.
func (r Report) Latencies() []time.Duration {
	out := make([]time.Duration, len(r.Samples))
	for i, s := range r.Samples {
		out[i] = s.Latency
	}
	return out
}
