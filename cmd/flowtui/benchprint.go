// How `flowtui bench` prints its summary: a table and a histogram, or one
// JSON object (README "bench" documents its fields).

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/sanitize"
)

// benchHistogramBuckets is the histogram's bar count: fine enough to show
// a second mode, short enough to read at a glance.
const benchHistogramBuckets = 10

// benchJSON is the `bench --json` object; times are milliseconds.
type benchJSON struct {
	FlowName    string
	Backend     string
	Endpoint    string `json:",omitempty"`
	Count       int    `json:",omitempty"` // -n; 0 with --duration
	DurationMs  int64  `json:",omitempty"` // --duration
	Concurrency int
	Rate        float64 `json:",omitempty"` // starts a second; 0 for no limit
	Runs        int     // calls that completed
	Succeeded   int
	Errors      map[string]int // by error code (or status), calls that did not succeed
	ElapsedMs   float64
	Throughput  float64 // completed runs a second
	RoundTripMs msStats // client round trip, every completed call
	ServerMs    msStats // StoppedTime - StartedTime, calls that returned both
	Histogram   []bucketJSON
	Stopped     bench.Stop // count, duration, throttling or interrupted
	HistoryId   int64      `json:",omitempty"`
}

type msStats struct {
	Count                         int
	Min, P50, P90, P99, Max, Mean float64
}

type bucketJSON struct {
	UpToMs float64 // round trips in (previous UpToMs, UpToMs]
	Count  int
}

func toMs(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newMsStats(p bench.Percentiles) msStats {
	return msStats{Count: p.Count, Min: toMs(p.Min), P50: toMs(p.P50), P90: toMs(p.P90), P99: toMs(p.P99), Max: toMs(p.Max), Mean: toMs(p.Mean)}
}

func newBenchJSON(flow string, info fnf.Info, f benchFlags, rep bench.Report) benchJSON {
	j := benchJSON{FlowName: flow, Backend: info.Kind, Endpoint: info.Endpoint, Count: f.n, DurationMs: f.duration.Milliseconds(),
		Concurrency: f.c, Rate: f.rate, Runs: rep.Runs, Succeeded: rep.Succeeded, Errors: rep.Errors,
		ElapsedMs: toMs(rep.Elapsed), Throughput: rep.Throughput(), RoundTripMs: newMsStats(rep.Latency),
		ServerMs: newMsStats(rep.Server), Stopped: rep.Stopped, Histogram: []bucketJSON{}}
	if info.Kind == fnf.KindLocal {
		j.Endpoint = "" // a local directory says nothing about the measure
	}
	for _, b := range bench.Histogram(rep.Latencies(), benchHistogramBuckets) {
		j.Histogram = append(j.Histogram, bucketJSON{UpToMs: toMs(b.UpTo), Count: b.Count})
	}
	return j
}

// compact is the summary as the history keeps it.
func (j benchJSON) compact() string {
	b, _ := json.Marshal(j)
	return string(b)
}

// printBench writes the summary for people: what ran, the percentiles, the
// errors by code and the round-trip histogram. Flow names and error codes
// come from the user and the server: they go through the sanitiser.
func printBench(w io.Writer, j benchJSON, rep bench.Report) {
	fmt.Fprintf(w, "bench %s on %s: %d runs in %s (%.1f/s), %d at once, stopped by %s\n",
		sanitize.Line(j.FlowName), j.Backend, j.Runs, rep.Elapsed.Round(time.Millisecond), j.Throughput, j.Concurrency, j.Stopped)
	fmt.Fprintf(w, "succeeded %d, errors %d\n\n", j.Succeeded, j.Runs-j.Succeeded)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\truns\tp50\tp90\tp99\tmax\t")
	for _, row := range []struct {
		name string
		p    bench.Percentiles
	}{{"round trip", rep.Latency}, {"server", rep.Server}} {
		if row.p.Count == 0 {
			fmt.Fprintf(tw, "%s\t0\t%s\t%s\t%s\t%s\t\n", row.name, unknown, unknown, unknown, unknown)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", row.name, row.p.Count, bench.Ms(row.p.P50), bench.Ms(row.p.P90), bench.Ms(row.p.P99), bench.Ms(row.p.Max))
	}
	tw.Flush()
	if len(j.Errors) > 0 {
		fmt.Fprintln(w, "\nerrors by code:")
		codes := make([]string, 0, len(j.Errors))
		for c := range j.Errors {
			codes = append(codes, c)
		}
		slices.SortFunc(codes, func(a, b string) int {
			if d := j.Errors[b] - j.Errors[a]; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		for _, c := range codes {
			fmt.Fprintf(w, "  %7d  %s\n", j.Errors[c], sanitize.Line(clip(c, 60)))
		}
	}
	if h := bench.Render(bench.Histogram(rep.Latencies(), benchHistogramBuckets)); h != "" {
		fmt.Fprintf(w, "\nround trip histogram (runs per bucket):\n%s", h)
	}
}
