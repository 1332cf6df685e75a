package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// benchDefaultN is the count of a bench given neither -n nor --duration.
const benchDefaultN = 100

// benchMaxConcurrency bounds -c: past it the client, not the flow, is measured.
const benchMaxConcurrency = 1000

// benchStopGrace is how long the runs under way at Ctrl-C get to end and be
// counted: long enough for a typical Express run, short enough that the
// interrupt is still felt as one.
const benchStopGrace = 5 * time.Second

// benchFlags are the command's own flags.
type benchFlags struct {
	input, testCase string
	n, c            int
	duration        time.Duration
	rate            float64
	asJSON          bool
}

func (a *app) benchCommand() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench FLOW",
		Short: "Run an Express flow many times and print throughput, latency percentiles and errors",
		Long: `Run an Express flow repeatedly with StartSyncExecution, -c at once, and print
the throughput, the p50/p90/p99/max of the client round trip and of the
server duration (StoppedTime - StartedTime), the errors by code, and a
histogram of the round trips.

The bench is bounded: -n runs (default 100 when neither -n nor --duration is
given) or --duration. On a terminal, a line on stderr shows its progress (runs
done, errors, runs a second, time), redrawn in place and erased before the
summary. Ctrl-C stops it: no run starts any more, the runs under way get 5s to
end and be counted (those still running then, or at a second Ctrl-C, are
stopped), and what was measured is printed and recorded. --rate
spaces the starts to at most R a second. Against the cloud (no --endpoint)
the rate is at most the Express quota, 1,000 starts a second, and is that
when --rate is not given. A call is never sent twice beyond what 'run' does
(a throttled call is retried by the client, a call whose outcome is unknown
never is); the bench stops at a throttling storm: more than 25 of the last 50
calls still throttled.

Runs are not recorded one by one: one bench summary row goes to the history.
Exit status: 0 every run Succeeded; 1 some did not; 2 bad usage; 3 stopped by
a throttling storm; 130 interrupted.`,
		Args: oneFlowArg("bench"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.bench(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.input, "input", "", "execution input: JSON text, @FILE, or - for stdin; local flows default to their sample input")
	fl.StringVar(&f.testCase, "test-case", "", "mock test case of local runs and flowtui serve")
	fl.IntVarP(&f.n, "count", "n", 0, "runs in all (default 100 when --duration is not given either)")
	fl.DurationVar(&f.duration, "duration", 0, "start runs for this long, then wait for those under way")
	fl.IntVarP(&f.c, "concurrency", "c", 1, "runs at once (at most 1000)")
	fl.Float64Var(&f.rate, "rate", 0, "at most this many starts a second (default: no limit; the cloud: 1000, the Express quota)")
	fl.BoolVar(&f.asJSON, "json", false, "print the summary as one JSON object")
	return cmd
}

// check refuses flags that cannot make a bounded bench, and fills in the
// default count.
func (f *benchFlags) check(cmd *cobra.Command) error {
	nSet, dSet := cmd.Flags().Changed("count"), cmd.Flags().Changed("duration")
	switch {
	case nSet && dSet:
		return usageErr("-n and --duration: give one bound, not both")
	case nSet && f.n <= 0:
		return usageErr("-n %d: want a positive count of runs", f.n)
	case dSet && f.duration <= 0:
		return usageErr("--duration %s: want a positive duration", f.duration)
	case f.c < 1 || f.c > benchMaxConcurrency:
		return usageErr("-c %d: want 1 to %d runs at once", f.c, benchMaxConcurrency)
	case f.rate < 0:
		return usageErr("--rate %g: want a positive rate (leave it out for no limit)", f.rate)
	}
	if !nSet && !dSet {
		f.n = benchDefaultN
	}
	return nil
}

// cloudRate applies the Express quota to a bench against the cloud itself
// (an --endpoint such as flowtui serve has no such quota).
func (a *app) cloudRate(info fnf.Info, f *benchFlags) error {
	rate, ok := bench.CloudRate(f.rate, info.Kind == fnf.KindCloud && a.g.endpoint == "")
	if !ok {
		return usageErr("--rate %g: the cloud allows at most %d Express starts a second", f.rate, bench.CloudQuota)
	}
	f.rate = rate
	return nil
}

func (a *app) bench(cmd *cobra.Command, flow string, f benchFlags) error {
	if err := f.check(cmd); err != nil {
		return err
	}
	data, err := a.readInput(f.input)
	if err != nil {
		return err
	}
	b, err := a.backend(0)
	if err != nil {
		return err
	}
	if err := a.cloudRate(b.Info(), &f); err != nil {
		return err
	}
	if err := a.checkTestCase(b.Info(), f.testCase); err != nil {
		return err
	}
	ctx := cmd.Context()
	fl, err := b.DescribeFlow(ctx, flow)
	if err != nil {
		return a.fail(cmd, f.asJSON, err)
	}
	if fl.Error != "" {
		// Every call would fail the same way: nothing to measure.
		return usageErr("flow %q does not load: %s", flow, fl.Error)
	}
	if fl.Mode() != fnf.ModeExpress {
		return usageErr("flow %q is %s: bench runs Express flows (StartSyncExecution)", flow, fl.Mode())
	}
	if !cmd.Flags().Changed("input") && b.Info().Kind == fnf.KindLocal && fl.SampleInput != "" {
		data = []byte(fl.SampleInput)
	}
	req := fnf.SyncRequest{FlowName: flow, Input: string(data), TestCase: f.testCase}
	hs, herr := a.openHistory(ctx)
	if fnf.IsSetupError(herr) || isUsage(herr) {
		return herr
	}
	if herr != nil {
		fmt.Fprintf(a.io.err, "flowtui: %s (the bench will not be recorded)\n", sanitize.Text(herr.Error()))
	}

	fmt.Fprintf(a.io.err, "flowtui: bench %s: %s, %d at once%s on %s\n", sanitize.Line(flow), boundText(f), f.c, rateText(f.rate), b.Info().Kind)
	start := time.Now()
	meter := newBenchMeter(a.io.err)
	hurry, release := hurryOnSecondInterrupt(ctx, meter)
	cfg := bench.Config{N: f.n, Duration: f.duration, Concurrency: f.c, Rate: f.rate, Grace: benchStopGrace, Hurry: hurry,
		Live: &bench.Live{}, Call: bench.SyncCall(b, req)}
	stopProgress := showBenchProgress(ctx, meter, flow, cfg)
	rep := bench.Run(ctx, cfg)
	release()
	stopProgress() // erased before the summary and the exit note

	out := rep.Summarize(flow, b.Info(), cfg)
	if hs != nil {
		row := history.FromBench(b.Info(), req, start, out)
		// An interrupted bench is still recorded, within the grace a run gets.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordGrace)
		id, err := hs.Add(rctx, row)
		cancel()
		out.HistoryId = a.rowID(hs, id, err)
	}
	if f.asJSON {
		if err := writeJSON(a.io.out, out); err != nil {
			return err
		}
	} else {
		out.WriteText(a.io.out)
	}
	return benchExit(flow, b.Info().Kind, rep)
}

func boundText(f benchFlags) string {
	if f.duration > 0 {
		return "for " + f.duration.String()
	}
	return human.Count(f.n, "run", "runs")
}

func rateText(r float64) string {
	if r <= 0 {
		return ""
	}
	return fmt.Sprintf(", at most %g a second", r)
}

// benchExit gives the bench its exit status, after the summary is out;
// the reason goes to stderr, with --json too.
func benchExit(flow, kind string, rep bench.Report) error {
	var err error
	switch {
	case rep.Stopped == bench.StopInterrupted && rep.Unfinished > 0:
		err = &exitError{code: exitInterrupted, err: fmt.Errorf("bench %q interrupted after %s: the summary covers those; %s under way, not counted: %s",
			flow, human.Count(rep.Runs, "run", "runs"), human.Count(rep.Unfinished, "run was still", "runs were still"), fnf.Stopped(kind).Notice)}
	case rep.Stopped == bench.StopInterrupted:
		err = &exitError{code: exitInterrupted, err: fmt.Errorf("bench %q interrupted after %s: the summary covers those, the runs under way included", flow, human.Count(rep.Runs, "run", "runs"))}
	case rep.Stopped == bench.StopThrottling:
		err = &exitError{code: exitAPI, err: fmt.Errorf("bench %q stopped after %d runs: a throttling storm (more than %d of the last %d calls were throttled); lower --rate or -c, or ask for a higher quota",
			flow, rep.Runs, bench.StormThrottled, bench.StormWindow)}
	case rep.Succeeded < rep.Runs:
		err = &exitError{code: exitRunFailed, err: fmt.Errorf("bench %q: %d of %s did not succeed", flow, rep.Runs-rep.Succeeded, human.Count(rep.Runs, "run", "runs"))}
	}
	return err
}
