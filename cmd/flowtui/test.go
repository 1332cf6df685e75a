package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/flowtest"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// defaultTestDir is where flowtui test looks first when given no paths.
const defaultTestDir = "flowtests"

// errTestInterrupted is what an interrupted test run says.
var errTestInterrupted = errors.New("interrupted: the cases under way were stopped (their Standard executions too); no results are reported")

// defaultCaseTimeout bounds a case, so that a CI job with a flow waiting for
// ever fails with a reason rather than at the CI's own limit.
const defaultCaseTimeout = 10 * time.Minute

func (a *app) testCommand() *cobra.Command {
	var (
		run    string
		jobs   int
		asJSON bool
		junit  string
		update bool
		watch  bool
		cloud  bool
		fast   bool
		limit  time.Duration
	)
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "Run flow test files (*.test.yaml) on the local engine and check their expectations",
		Long: `Run the cases of flow test files (*.test.yaml, found under the PATHs; default
./flowtests and the flows directory) and check each case's expectations:
status, error code and message, exact output, output subset, jq assertions,
states visited and maximum duration.

Cases run on the local engine, with the demo flows, the flows directory and
--mocks; with --endpoint URL (flowtui serve, say) on that endpoint, with
--cloud on the cloud. An endpoint reports no states for an Express run, so
a states expectation is not checked there, and the result says so.

--update rewrites the exact-output expectations that failed with what the
runs gave, and lists them. --watch runs again, until interrupted, when a
file changes: a changed test file its own cases; a changed flow, mock or
input file every case.

Waits, Retry intervals and callback Timeouts take their real time, unless
--fast-wait: the local engine then skips them on a virtual clock, and the
durations reported (and checked by maxDuration) are still the time the flow
would take. --timeout bounds each case in real time (default 10m): a case
still running then could not run, and its Standard execution is stopped.
A case that expects neither a status nor an error expects Succeeded.

Exit status: 0 every case passed; 1 a case failed or could not run; 2 bad
usage or a bad test file (file:line:column); 130 interrupted.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var re *regexp.Regexp
			if run != "" {
				var err error
				if re, err = regexp.Compile(run); err != nil {
					return usageErr("--run %q: %v", run, err)
				}
			}
			if limit < 0 {
				return usageErr("--timeout %s: want a positive duration, or 0 for no limit", limit)
			}
			if jobs < 0 {
				return usageErr("-j %d: want 1 or more (0: one per CPU)", jobs)
			}
			if cloud && (a.g.endpoint != "" || a.g.local) {
				return usageErr("--cloud with --endpoint or --local: choose one")
			}
			if fast && (cloud || a.g.endpoint != "") {
				return usageErr("--fast-wait skips the waits of the local engine's clock; on --endpoint or --cloud the waits are the service's")
			}
			if watch && update {
				return usageErr("--watch and --update: choose one (an update would trigger the watch)")
			}
			o := testRun{paths: args, opts: flowtest.Options{Run: re, Jobs: jobs, Timeout: limit, FastWait: fast}, asJSON: asJSON, junit: junit, update: update, watch: watch,
				remote: cloud || a.g.endpoint != "", fastWait: fast}
			return a.test(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&run, "run", "", "run only the cases whose FLOW/CASE matches `REGEX`")
	f.IntVarP(&jobs, "jobs", "j", 0, "cases run at once (default: one per CPU)")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON")
	f.StringVar(&junit, "junit", "", "also write the results as JUnit XML to `FILE`")
	f.BoolVar(&cloud, "cloud", false, "run the cases on the cloud (the credentials' region), not the local engine; --endpoint URL runs them on that endpoint")
	f.BoolVar(&watch, "watch", false, "run again when a test file, an input file, a flow or the mock file changes, until interrupted")
	f.BoolVar(&update, "update", false, "rewrite failing exact-output expectations with the actual outputs, listing each")
	f.DurationVar(&limit, "timeout", defaultCaseTimeout, "stop a case still running after this much real time (it could not run; its Standard execution is stopped); 0: no limit")
	f.BoolVar(&fast, "fast-wait", false, "skip Waits, Retry intervals and callback Timeouts on a virtual clock (local engine); durations stay the flow's")
	return cmd
}

type testRun struct {
	paths  []string
	opts   flowtest.Options
	asJSON bool
	junit  string
	update bool
	watch  bool
	remote bool // on --endpoint or the cloud, not the local engine
	// fastWait runs the local engine on a virtual clock (engine.Runner.FastWait).
	fastWait bool
}

func (a *app) test(cmd *cobra.Command, o testRun) error {
	ctx := cmd.Context()
	paths, err := a.testPaths(o.paths)
	if err != nil {
		return err
	}
	if o.watch {
		return a.watchTests(ctx, o, paths)
	}
	return a.testOnce(ctx, o, paths, nil)
}

// testOnce runs the test files under paths once; only, when set, names the
// test files to run.
func (a *app) testOnce(ctx context.Context, o testRun, paths []string, only map[string]bool) error {
	files, bad, err := loadTestFiles(paths)
	if err != nil {
		return usageErr("%v", err)
	}
	if only != nil {
		files = slices.DeleteFunc(files, func(f *flowtest.File) bool { return !only[f.Path] })
	}
	b, err := a.testTarget(o)
	if err != nil {
		return err
	}
	if l, ok := b.(*engine.Local); ok {
		defer l.Close(ctx, "flowtui test ended")
	}
	bad = append(bad, flowtest.CheckFlows(ctx, b, files)...)
	if len(bad) > 0 {
		return &exitError{code: exitUsage, err: bad}
	}
	start := time.Now()
	rs := flowtest.Run(ctx, b, files, o.opts)
	took := time.Since(start)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errTestInterrupted}
	}
	if o.update {
		changes, err := flowtest.Update(files, rs)
		for _, c := range changes {
			fmt.Fprintln(a.io.err, "updated "+sanitize.Line(c.String()))
		}
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			fmt.Fprintln(a.io.err, "updated nothing: no exact-output expectation failed")
		}
		flowtest.MarkUpdated(rs, changes)
	}
	if o.junit != "" {
		if err := writeJUnit(o.junit, rs, took); err != nil {
			return usageErr("--junit: %v", err)
		}
	}
	if o.asJSON {
		if err := flowtest.WriteJSON(a.io.out, rs); err != nil {
			return err
		}
	} else {
		flowtest.WriteText(a.io.out, rs, took)
	}
	if !flowtest.Summarize(rs).OK() {
		return &exitError{code: exitRunFailed, err: errPrinted}
	}
	return nil
}

// testPaths are the paths given, else ./flowtests and the flows directory
// (those that exist).
func (a *app) testPaths(args []string) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	var paths []string
	for _, p := range []string{defaultTestDir, a.flowsDir()} {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, usageErr("no test paths: ./%s and the flows directory (%s) do not exist; name the test files or directories", defaultTestDir, a.flowsDir())
	}
	return paths, nil
}

// loadTestFiles parses every test file under paths; problems are collected,
// so that one run names every bad file.
func loadTestFiles(paths []string) ([]*flowtest.File, flowtest.Errors, error) {
	names, err := flowtest.Find(paths)
	if err != nil {
		return nil, nil, err
	}
	var files []*flowtest.File
	var bad flowtest.Errors
	for _, n := range names {
		f, err := flowtest.Load(n)
		var es flowtest.Errors
		switch {
		case errors.As(err, &es):
			bad = append(bad, es...)
		case err != nil:
			bad = append(bad, &flowtest.Error{File: n, Line: 1, Col: 1, Msg: err.Error()})
		default:
			files = append(files, f)
		}
	}
	if len(names) == 0 {
		bad = append(bad, &flowtest.Error{File: paths[0], Line: 1, Col: 1, Msg: "no test files (*" + flowtest.Suffix + ") found"})
	}
	return files, bad, nil
}

// testTarget is where the cases run: the local engine, or with --endpoint
// or --cloud the backend the global flags choose (which says on stderr when
// it fell back to the engine for want of credentials).
func (a *app) testTarget(o testRun) (fnf.Backend, error) {
	if !o.remote {
		return a.testEngine(o.fastWait)
	}
	return a.backend(0)
}

// testEngine is the local engine the cases run on: the demo flows, the
// flows directory and --mocks, as flowtui serve has them.
func (a *app) testEngine(fastWait bool) (*engine.Local, error) {
	opts := engine.LocalOptions{Demos: true, FlowsDir: a.flowsDir(), FlowsDirMust: a.g.flows != "", FastWait: fastWait}
	if a.g.mocks != "" {
		m, err := engine.LoadMocks(a.g.mocks)
		if err != nil {
			return nil, usageErr("--mocks: %s", sanitize.Text(err.Error()))
		}
		opts.Mocks = m
	}
	l, err := engine.NewLocal(opts)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return l, nil
}

func writeJUnit(path string, rs []*flowtest.Result, took time.Duration) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	return errors.Join(flowtest.WriteJUnit(f, rs, took), f.Close())
}
