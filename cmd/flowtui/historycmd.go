package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/safefile"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// openHistory opens the history store unless --no-history; the caller closes it.
func (a *app) openHistory(ctx context.Context) (*history.Store, error) {
	// The config file is checked even with --no-history: a broken one is a
	// set-up problem whatever the flags, as the README says.
	cfg, err := loadConfig()
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if a.g.noHistory {
		return nil, nil
	}
	path := a.g.history
	if path == "" {
		if path, err = history.DefaultPath(); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	opts := history.Options{Path: path, MaxRuns: cfg.History.MaxRuns, MaxBytes: cfg.History.MaxBytes}
	if cfg.History.Redact != nil {
		opts.Redact = cfg.History.Redact
	}
	s, err := history.Open(ctx, opts)
	if errors.Is(err, safefile.ErrNotRegular) {
		// A set-up problem, as a bad --debug FILE: nothing can be recorded there.
		from := "the default history path: set XDG_STATE_HOME"
		if a.g.history != "" {
			from = "--history names it: give it a regular file"
		}
		return nil, usageErr("%v (%s, or use --no-history)", err, from)
	}
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, func() { s.Close() })
	return s, nil
}

// historyStore opens the store for the history commands, which need it.
func (a *app) historyStore(cmd *cobra.Command) (*history.Store, error) {
	if a.g.noHistory {
		return nil, usageErr("--no-history: the history commands need the history")
	}
	s, err := a.openHistory(cmd.Context())
	if fnf.IsSetupError(err) {
		return nil, err
	}
	if err != nil {
		return nil, historyErr(cmd.Context(), err)
	}
	return s, nil
}

// historyErr gives a history command's failure its exit code: the history
// is local, so none is an API error.
func historyErr(ctx context.Context, err error) error {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return err
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: err}
	case errors.Is(err, history.ErrNotFound):
		return &exitError{code: exitNotFound, err: fmt.Errorf("%w (`flowtui history` lists the recorded runs)", err)}
	}
	return &exitError{code: exitHistory, err: err}
}

// jsonErrors makes a history command with --json print its own failures
// (no such run, an unusable history, an interrupt) as {"Error":…} on stdout,
// as run, flows and describe print theirs. Bad usage stays on stderr, as
// for every command.
func (a *app) jsonErrors(asJSON *bool, run func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := run(cmd, args)
		var ee *exitError
		if err == nil || !*asJSON || !errors.As(err, &ee) || ee.err == errPrinted {
			return err
		}
		switch ee.code {
		case exitNotFound, exitHistory, exitInterrupted:
			return a.printErrorJSON(ee)
		}
		return err
	}
}

// historyQuery opens the store and reads the filter flags.
func (a *app) historyQuery(cmd *cobra.Command, f *historyFlags) (*history.Store, history.Filter, error) {
	filter, err := f.filter()
	if err != nil {
		return nil, filter, err
	}
	s, err := a.historyStore(cmd)
	return s, filter, err
}

type historyFlags struct {
	flow, status, since, search string
	limit                       int
	asJSON                      bool
}

func (f *historyFlags) filter() (history.Filter, error) {
	hf := history.Filter{Flow: f.flow, Search: f.search, Limit: f.limit}
	if err := history.CheckSearch(f.search); err != nil {
		return hf, usageErr("--search: %v", err)
	}
	if f.status != "" {
		st, err := fnf.ParseStatus(f.status)
		if err != nil {
			return hf, usageErr("--status %q: %v", f.status, err)
		}
		hf.Status = st
	}
	if f.since != "" {
		t, err := history.ParseSince(f.since, time.Now())
		if err != nil {
			return hf, usageErr("--since %q: %v", f.since, err)
		}
		hf.Since = t
	}
	if f.limit < 0 {
		return hf, usageErr("--limit %d: must be positive", f.limit)
	}
	return hf, nil
}

func (a *app) historyCommand() *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List past runs (newest first); show, export, pin, unpin, delete, prune",
		Long: `List past runs (newest first); show, export, pin, unpin, delete, prune.

Exit status: 0 success; 2 bad usage; 4 no run with that ID; 5 the history
could not be opened, read or written; 130 interrupted.`,
		Args: noArgs("history"),
		RunE: a.jsonErrors(&f.asJSON, func(cmd *cobra.Command, _ []string) error {
			s, filter, err := a.historyQuery(cmd, &f)
			if err != nil {
				return err
			}
			runs, err := s.List(cmd.Context(), filter)
			if err != nil {
				return historyErr(cmd.Context(), err)
			}
			if f.asJSON {
				out := make([]any, len(runs))
				for i, r := range runs {
					out[i] = r.JSON(false)
				}
				return writeJSON(a.io.out, out)
			}
			if len(runs) == 0 {
				if f.flow != "" || f.status != "" || f.since != "" || f.search != "" {
					fmt.Fprintln(a.io.err, "no runs match")
				} else {
					fmt.Fprintln(a.io.err, "no runs recorded yet")
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tWHEN\tFLOW\tSTATUS\tSERVER\tROUND TRIP\tBACKEND\tERROR")
			for _, r := range runs {
				pin := ""
				if r.Pinned {
					pin = " (pinned)"
				}
				fmt.Fprintf(tw, "%d%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, pin, r.ClientStart.Local().Format("2006-01-02 15:04:05"),
					sanitize.Line(r.FlowName), sanitize.Line(statusCell(r)), serverCell(r), latencyCell(r.Latency), sanitize.Line(r.Backend),
					sanitize.Line(clip(strings.TrimSpace(r.ErrorCode+" "+r.ErrorMessage), 50)))
			}
			return tw.Flush()
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.flow, "flow", "", "only runs of this flow")
	fl.StringVar(&f.status, "status", "", "only runs with this status (Succeeded, Failed, TimedOut, Error, Cancelled…)")
	fl.StringVar(&f.since, "since", "", "only runs since a time: 2h, 7d, 2026-11-25, RFC 3339")
	fl.StringVar(&f.search, "search", "", "full-text search over inputs, outputs and errors")
	fl.IntVar(&f.limit, "limit", 100, "at most this many runs")
	fl.BoolVar(&f.asJSON, "json", false, "print a JSON array")
	cmd.AddCommand(a.historyShow(), a.historyExport(), a.historyPin(true), a.historyPin(false), a.historyDelete(), a.historyPrune())
	return cmd
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageErr("run id %q: want a positive number (see flowtui history)", s)
	}
	return id, nil
}

func oneID(name string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return badUsage(fmt.Errorf("history %s needs one run id", name))
		}
		return nil
	}
}

func (a *app) historyShow() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "show ID", Short: "One run with its input and output", Args: oneID("show"),
		RunE: a.jsonErrors(&asJSON, func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			s, err := a.historyStore(cmd)
			if err != nil {
				return err
			}
			r, err := s.Get(cmd.Context(), id)
			if err != nil {
				return historyErr(cmd.Context(), err)
			}
			if asJSON {
				return writeJSON(a.io.out, r.JSON(true))
			}
			w := bufio.NewWriter(a.io.out)
			defer w.Flush()
			if r.IsBench() {
				printBenchRow(w, r)
				return nil
			}
			tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
			for _, row := range [][2]string{
				{"Run:", strconv.FormatInt(r.ID, 10)}, {"Flow:", r.FlowName}, {"Execution:", r.Name}, {"Status:", string(r.Status)},
				{"Error:", strings.TrimSpace(r.ErrorCode + " " + r.ErrorMessage)}, {"Request:", r.RequestID},
				{"Started:", fmtTime(r.StartedTime)}, {"Stopped:", fmtTime(r.StoppedTime)},
				{"Duration:", serverLine(r)}, {"Round trip:", latencyLine(r.Latency)},
				{"Client start:", fmtTime(r.ClientStart)}, {"Backend:", r.Backend + " " + r.Endpoint}, {"Test case:", r.TestCase},
				{"Mode:", r.Mode},
				{"Trace:", history.TraceNote(r.Trace)},
			} {
				if strings.TrimSpace(row[1]) != "" {
					fmt.Fprintf(tw, "%s\t%s\n", row[0], sanitize.Line(row[1]))
				}
			}
			tw.Flush()
			fmt.Fprintf(w, "\nInput:\n%s", bodyText(r.Input))
			fmt.Fprintf(w, "\nOutput:\n%s", bodyText(r.Output))
			a.printRunEvents(w, r)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON, with Input, Output and a Standard run's Events")
	return cmd
}

func (a *app) historyExport() *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use: "export", Short: "Every run as JSON Lines on stdout, oldest first", Args: noArgs("history export"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, filter, err := a.historyQuery(cmd, &f)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(a.io.out)
			defer w.Flush()
			if err := s.Export(cmd.Context(), filter, &jsonLines{w: w}); err != nil {
				return historyErr(cmd.Context(), err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.flow, "flow", "", "only runs of this flow")
	cmd.Flags().StringVar(&f.since, "since", "", "only runs since a time")
	return cmd
}

// historyByID is a history subcommand acting on one run.
func (a *app) historyByID(use, short string, act func(context.Context, *history.Store, int64) error) *cobra.Command {
	name := strings.Fields(use)[0]
	return &cobra.Command{
		Use: use, Short: short, Args: oneID(name),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			s, err := a.historyStore(cmd)
			if err != nil {
				return err
			}
			if err := act(cmd.Context(), s, id); err != nil {
				return historyErr(cmd.Context(), err)
			}
			return nil
		},
	}
}

func (a *app) historyPin(pin bool) *cobra.Command {
	use, short := "pin ID", "Keep a run (a baseline for diffs; never pruned)"
	if !pin {
		use, short = "unpin ID", "Let a pinned run be pruned again"
	}
	return a.historyByID(use, short, func(ctx context.Context, s *history.Store, id int64) error {
		if err := s.Pin(ctx, id, pin); err != nil {
			return err
		}
		fmt.Fprintf(a.io.err, "%s run %d\n", map[bool]string{true: "pinned", false: "unpinned"}[pin], id)
		return nil
	})
}

func (a *app) historyDelete() *cobra.Command {
	return a.historyByID("delete ID", "Delete a run", func(ctx context.Context, s *history.Store, id int64) error {
		if err := s.Delete(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(a.io.err, "deleted run %d\n", id)
		return nil
	})
}

func (a *app) historyPrune() *cobra.Command {
	return &cobra.Command{
		Use: "prune", Short: "Apply the history caps now (oldest unpinned runs first)", Args: noArgs("history prune"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.historyStore(cmd)
			if err != nil {
				return err
			}
			n, err := s.Prune(cmd.Context())
			if err != nil {
				return historyErr(cmd.Context(), err)
			}
			fmt.Fprintf(a.io.err, "pruned %d runs\n", n)
			return nil
		},
	}
}
