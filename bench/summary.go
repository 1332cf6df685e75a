package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// HistogramBuckets is the histogram's bar count: fine enough to show a
// second mode, short enough to read at a glance.
const HistogramBuckets = 10

// Summary is a bench's outcome as `bench --json` prints it and the history
// keeps it (README "bench" documents the fields); times are milliseconds.
type Summary struct {
	FlowName    string
	Backend     string
	Endpoint    string  `json:",omitempty"`
	Count       int     `json:",omitempty"` // -n; 0 with --duration
	DurationMs  int64   `json:",omitempty"` // --duration
	Concurrency int     // calls at once
	Rate        float64 `json:",omitempty"` // starts a second; 0 for no limit
	Runs        int     // calls that completed
	Succeeded   int
	Errors      map[string]int // by error code (or status), calls that did not succeed
	ElapsedMs   float64
	Throughput  float64 // completed runs a second
	RoundTripMs MsStats // client round trip, every completed call
	ServerMs    MsStats // StoppedTime - StartedTime, calls that returned both
	Histogram   []MsBucket
	Stopped     Stop  // count, duration, throttling or interrupted
	Unfinished  int   `json:",omitempty"` // calls under way at the end, cut short: not in Runs
	HistoryId   int64 `json:",omitempty"`
}

// MsStats is Percentiles in milliseconds.
type MsStats struct {
	Count                         int
	Min, P50, P90, P99, Max, Mean float64
}

// MsBucket is a histogram bucket in milliseconds: the round trips in
// (previous UpToMs, UpToMs].
type MsBucket struct {
	UpToMs float64
	Count  int
}

func toMs(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fromMs(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func newMsStats(p Percentiles) MsStats {
	return MsStats{Count: p.Count, Min: toMs(p.Min), P50: toMs(p.P50), P90: toMs(p.P90), P99: toMs(p.P99), Max: toMs(p.Max), Mean: toMs(p.Mean)}
}

// Summarize is the summary of rep, a bench of flow on the backend info
// describes, as cfg asked for it.
func (rep Report) Summarize(flow string, info fnf.Info, cfg Config) Summary {
	s := Summary{FlowName: flow, Backend: info.Kind, Count: cfg.N, DurationMs: cfg.Duration.Milliseconds(), Concurrency: max(cfg.Concurrency, 1), Rate: cfg.Rate,
		Runs: rep.Runs, Succeeded: rep.Succeeded, Errors: rep.Errors, ElapsedMs: toMs(rep.Elapsed), Throughput: rep.Throughput(),
		RoundTripMs: newMsStats(rep.Latency), ServerMs: newMsStats(rep.Server), Stopped: rep.Stopped, Unfinished: rep.Unfinished, Histogram: []MsBucket{}}
	if info.Kind != fnf.KindLocal {
		s.Endpoint = info.Endpoint // a local flows directory says nothing of the measure
	}
	if s.Errors == nil {
		s.Errors = map[string]int{}
	}
	for _, b := range Histogram(rep.Latencies(), HistogramBuckets) {
		s.Histogram = append(s.Histogram, MsBucket{UpToMs: toMs(b.UpTo), Count: b.Count})
	}
	return s
}

// Compact is the summary as the history keeps it.
func (s Summary) Compact() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ParseSummary reads a summary the history kept.
func ParseSummary(text string) (Summary, error) {
	var s Summary
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return Summary{}, fmt.Errorf("bench summary: %w", err)
	}
	return s, nil
}

// unknown marks a figure that was not measured: never shown as 0.
const unknown = "—"

// WriteText writes the summary for people: what ran, the percentiles, the
// errors by code and the round-trip histogram, in plain text within 80
// columns. Flow names and error codes come from the user and the server:
// they go through the sanitiser.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "bench %s on %s: %s in %s (%.1f/s)\n", sanitize.Line(s.FlowName), sanitize.Line(s.Backend),
		human.Count(s.Runs, "run", "runs"), fromMs(s.ElapsedMs).Round(time.Millisecond), s.Throughput)
	fmt.Fprintf(w, "%d at once, stopped by %s; succeeded %d, errors %d\n",
		s.Concurrency, sanitize.Line(string(s.Stopped)), s.Succeeded, s.Runs-s.Succeeded)
	if s.Unfinished > 0 {
		fmt.Fprintf(w, "%d under way at the end, cut short: not counted\n", s.Unfinished)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\truns\tp50\tp90\tp99\tmax\t")
	for _, row := range []struct {
		name string
		p    MsStats
	}{{"round trip", s.RoundTripMs}, {"server", s.ServerMs}} {
		if row.p.Count == 0 {
			fmt.Fprintf(tw, "%s\t0\t%s\t%s\t%s\t%s\t\n", row.name, unknown, unknown, unknown, unknown)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", row.name, row.p.Count,
			Ms(fromMs(row.p.P50)), Ms(fromMs(row.p.P90)), Ms(fromMs(row.p.P99)), Ms(fromMs(row.p.Max)))
	}
	tw.Flush()
	if len(s.Errors) > 0 {
		fmt.Fprintln(w, "\nerrors by code:")
		codes := make([]string, 0, len(s.Errors))
		for c := range s.Errors {
			codes = append(codes, c)
		}
		slices.SortFunc(codes, func(a, b string) int {
			if d := s.Errors[b] - s.Errors[a]; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		for _, c := range codes {
			code := []rune(sanitize.Line(c))
			if len(code) > 60 {
				code = append(code[:59], '…')
			}
			fmt.Fprintf(w, "  %7d  %s\n", s.Errors[c], string(code))
		}
	}
	bs := make([]Bucket, len(s.Histogram))
	for i, b := range s.Histogram {
		bs[i] = Bucket{UpTo: fromMs(b.UpToMs), Count: b.Count}
	}
	if h := Render(bs); h != "" {
		fmt.Fprintf(w, "\nround trip histogram (runs per bucket):\n%s", h)
	}
}
