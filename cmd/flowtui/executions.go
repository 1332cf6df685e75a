// `flowtui executions`: list, show, events, stop and report on the Standard
// executions of a flow.

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/session"
)

// defaultListLimit is how many executions `executions list` shows without --limit.
const defaultListLimit = 100

func (a *app) executionsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "executions",
		Short: "List, show, follow and stop the Standard executions of a flow",
		Long: `Standard executions: list a flow's executions, show one (--wait long-polls
for its end), print its event timeline, stop it, or answer a callback task.
JSON output uses the API's field names.`,
		Args: unknownSubcommand("executions"),
		// Without a subcommand: the help, as before. Runnable, so that
		// cobra checks Args and an unknown subcommand is an error (exit
		// 2), not the help with exit 0.
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.executionsListCommand(), a.executionsShowCommand(), a.executionsEventsCommand(),
		a.executionsStopCommand(), a.executionsReportCommand())
	return cmd
}

// unknownSubcommand refuses any argument of a command that only groups
// subcommands: an argument there is a subcommand that does not exist.
func unknownSubcommand(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return badUsage(fmt.Errorf("unknown command %q for \"flowtui %s\" (one of: %s)", args[0], name, strings.Join(names, ", ")))
	}
}

// flowAndName checks FLOW NAME arguments.
func flowAndName(use string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 2 {
			return badUsage(fmt.Errorf("flowtui executions %s needs a flow and an execution name: flowtui executions %s FLOW NAME", use, use))
		}
		if err := fnf.ValidateName("flow", args[0]); err != nil {
			return usageErr("%v", err)
		}
		if err := fnf.ValidateExecutionRef("execution name", args[1]); err != nil {
			return usageErr("%v", err)
		}
		return nil
	}
}

// standard is the backend the flags choose and its Standard side; a
// backend without one is a clear error, with nothing sent.
func (a *app) standard() (fnf.Backend, fnf.Standard, error) {
	b, err := a.backend(0)
	if err != nil {
		return nil, nil, err
	}
	std, ok := fnf.StandardOf(b)
	if !ok {
		return nil, nil, usageErr("%s does not offer Standard executions (StartExecution, ListExecutions…)", backendName(b.Info()))
	}
	if b.Info().Kind == fnf.KindLocal {
		fmt.Fprintln(a.io.err, "flowtui: the local engine keeps Standard executions only while the flowtui that started them runs; "+
			"to find them later, run them on `flowtui serve` and use --endpoint")
	}
	return b, std, nil
}

// named makes a missing execution's error name it.
func named(flow, name string, err error) error {
	if errors.Is(err, fnf.ErrExecutionNotExists) {
		return fmt.Errorf("flow %q has no execution %q: %w", flow, name, err)
	}
	return err
}

func (a *app) executionsListCommand() *cobra.Command {
	var (
		status, prefix, since string
		limit                 int
		asJSON                bool
	)
	cmd := &cobra.Command{
		Use:   "list FLOW",
		Short: "List a flow's executions, newest first",
		Args:  oneFlowArg("executions list"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := fnf.ListExecutionsRequest{FlowName: args[0], NamePrefix: prefix, MetadataOnly: true}
			if status != "" {
				st, err := executionStatus(status)
				if err != nil {
					return err
				}
				req.Status = st
			}
			if prefix != "" {
				if err := fnf.ValidateExecutionRef("execution name prefix", prefix); err != nil {
					return usageErr("--prefix: %v", err)
				}
			}
			if since != "" {
				t, err := history.ParseSince(since, time.Now())
				if err != nil {
					return usageErr("--since %q: %v", since, err)
				}
				req.StartedBegin = t
			}
			if limit < 1 {
				return usageErr("--limit %d: must be at least 1", limit)
			}
			req.Limit = min(limit, fnf.MaxExecutionsLimit)
			b, std, err := a.standard()
			if err != nil {
				return err
			}
			execs, err := fnf.AllExecutions(cmd.Context(), std, req, limit)
			if err != nil {
				return a.fail(cmd, asJSON, err)
			}
			if asJSON {
				if execs == nil {
					execs = []fnf.ExecutionDetail{}
				}
				return writeJSON(a.io.out, execs)
			}
			printExecutions(a.io.out, a.io.err, execs, time.Now())
			if len(execs) == 0 {
				// None may mean the wrong kind of flow: say so when it is.
				if fl, err := b.DescribeFlow(cmd.Context(), req.FlowName); err == nil && fl.Mode() == fnf.ModeExpress {
					fmt.Fprintf(a.io.err, "flowtui: %s is an Express flow: its runs (StartSyncExecution) are not kept as executions; `flowtui history` lists those made from here\n",
						sanitize.Line(req.FlowName))
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "only executions with this status: Running, Succeeded, Failed, TimedOut or Stopped")
	f.StringVar(&prefix, "prefix", "", "only executions whose name starts with this")
	f.StringVar(&since, "since", "", "only executions started since: a duration ago (2h, 7d) or a time (RFC 3339, 2026-11-25)")
	f.IntVar(&limit, "limit", defaultListLimit, "show at most this many executions (fetched page by page)")
	f.BoolVar(&asJSON, "json", false, "print a JSON array of the executions (API field names)")
	return cmd
}

// executionStatus reads --status: an execution's status, not one of
// flowtui's own (Error, Cancelled), which only the history has.
func executionStatus(s string) (fnf.Status, error) {
	const use = "use one of Running, Succeeded, Failed, TimedOut, Stopped"
	st, err := fnf.ParseStatus(s)
	if err != nil || st == fnf.StatusError || st == fnf.StatusCancelled {
		return "", usageErr("--status %q: %s", s, use)
	}
	return st, nil
}

func (a *app) executionsShowCommand() *cobra.Command {
	var (
		wait   time.Duration
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show FLOW NAME",
		Short: "Show one execution; --wait long-polls up to 60s for its end",
		Long: `Show one execution. With --wait D the call waits up to D (at most 60s, the
API's long-poll) for the execution to end, and answers as soon as it has.
An execution started with run --no-wait and recorded Running in the history
is brought up to date there once show sees it ended.`,
		Args: flowAndName("show"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flow, name := args[0], args[1]
			if wait < 0 || wait > fnf.MaxDescribeWait || wait%time.Second != 0 {
				return usageErr("--wait %s: use whole seconds from 0s to 60s (the API's long-poll bound)", wait)
			}
			b, std, err := a.standard()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			d, err := std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: flow, ExecutionName: name, Wait: wait})
			if err != nil {
				return a.fail(cmd, asJSON, named(flow, name, err))
			}
			a.observe(ctx, b, std, d)
			if asJSON {
				return writeJSON(a.io.out, d)
			}
			printExecution(a.io.out, d, time.Now())
			return nil
		},
	}
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long (whole seconds, at most 60s) for the execution to end")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the DescribeExecution object")
	return cmd
}

// observe records in the history the end of an execution recorded Running
// (session.Observed); a history that cannot be opened or written is said
// on stderr and changes nothing else.
func (a *app) observe(ctx context.Context, b fnf.Backend, std fnf.Standard, d fnf.ExecutionDetail) {
	if !d.Status.Terminal() || a.g.noHistory {
		return
	}
	hs, err := a.openHistory(ctx)
	if err == nil && hs != nil {
		_, err = session.New(hs, session.Options{}).Observed(ctx, b, std, d)
	}
	if err != nil {
		fmt.Fprintf(a.io.err, "flowtui: history: %s (the end of this execution was not recorded)\n", sanitize.Text(err.Error()))
	}
}

func (a *app) executionsEventsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "events FLOW NAME",
		Short: "Print an execution's event timeline (GetExecutionHistory)",
		Args:  flowAndName("events"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flow, name := args[0], args[1]
			_, std, err := a.standard()
			if err != nil {
				return err
			}
			events, err := fnf.AllEvents(cmd.Context(), std, fnf.HistoryRequest{FlowName: flow, ExecutionName: name, Limit: fnf.MaxEventsLimit})
			if err != nil {
				return a.fail(cmd, asJSON, named(flow, name, err))
			}
			if asJSON {
				if events == nil {
					events = []fnf.Event{}
				}
				return writeJSON(a.io.out, events)
			}
			printEvents(a.io.out, events)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of the events (API field names)")
	return cmd
}

func (a *app) executionsStopCommand() *cobra.Command {
	var code, cause string
	cmd := &cobra.Command{
		Use:   "stop FLOW NAME",
		Short: "Stop a running execution; it ends Stopped with --error and --cause",
		Args:  flowAndName("stop"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flow, name := args[0], args[1]
			if err := checkErrorCause("--error", code, cause); err != nil {
				return err
			}
			b, std, err := a.standard()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			d, sent, err := stopRunning(ctx, std, fnf.StopRequest{FlowName: flow, ExecutionName: name, Error: code, Cause: cause})
			if err != nil {
				return a.fail(cmd, false, named(flow, name, err))
			}
			a.observe(ctx, b, std, d)
			if !sent || d.Status != fnf.StatusStopped {
				ended := string(d.Status)
				if at := executionTime(d.StoppedTime); at != "" {
					ended += " at " + at
				}
				fmt.Fprintln(a.io.err, sanitize.Line(fmt.Sprintf("flowtui: execution %s of flow %s had already ended %s: nothing was stopped",
					d.Name, d.FlowName, ended)))
				return nil
			}
			fmt.Fprintln(a.io.err, sanitize.Line(fmt.Sprintf("%s · %s · %s", d.Status, d.FlowName, d.Name)))
			return nil
		},
	}
	cmd.Flags().StringVar(&code, "error", "", "the error the execution ends with (1–128 characters)")
	cmd.Flags().StringVar(&cause, "cause", "", "why it was stopped (1–4096 characters)")
	return cmd
}

// stopRunning stops the execution req names unless it has ended; sent
// says whether the stop was sent. An ended one is not stopped again: the
// service answers a stop of one with its end, which would read as if this
// stop had made it.
func stopRunning(ctx context.Context, std fnf.Standard, req fnf.StopRequest) (d fnf.ExecutionDetail, sent bool, err error) {
	d, err = std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: req.FlowName, ExecutionName: req.ExecutionName})
	if err != nil || d.Status.Terminal() {
		return d, false, err
	}
	d, err = std.StopExecution(ctx, req)
	return d, true, err
}

// checkErrorCause is fnf.CheckErrorCause for the flags that carry an Error
// (errorFlag: --error or --failed) and a Cause.
func checkErrorCause(errorFlag, code, cause string) error {
	le := fnf.CheckErrorCause(code, cause)
	if le == nil {
		return nil
	}
	flag := "--cause"
	if le.Param == "Error" {
		flag = errorFlag
	}
	return usageErr("%s: %d characters, more than the %d the API accepts", flag, le.Len, le.Max)
}
