package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/safefile"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/session"
)

// runJSON is the `run --json` shape: the API response plus what flowtui measured.
type runJSON struct {
	RequestId    string
	FlowName     string
	Name         string
	Status       fnf.Status
	ErrorCode    string
	ErrorMessage string
	Output       string
	StartedTime  string
	StoppedTime  string
	DurationMs   int64
	LatencyMs    int64
	Backend      string
	HistoryId    int64
	// FastWait: the local engine skipped the waits; the times are the
	// flow's, LatencyMs the real round trip.
	FastWait bool `json:",omitempty"`
}

func (a *app) runCommand() *cobra.Command {
	var (
		input, name, testCase string
		asJSON, trace         bool
		noWait, events        bool
		fastWait              bool
		timeout               time.Duration
	)
	cmd := &cobra.Command{
		Use:   "run FLOW",
		Short: "Run a flow and print its output: Express synchronously, Standard followed to its end",
		Long: `Run an Express flow with StartSyncExecution and wait for the result, or
start a Standard flow with StartExecution and follow it to its end
(DescribeExecution long-polls); --no-wait prints the started execution at
once instead (not on the local engine: use flowtui serve). On the local
engine, a flow in the legacy flow language (version: v1, type: flow) runs
too, to its end.

The output goes to stdout (pretty-printed), a one-line summary to stderr.
Exit status: 0 Succeeded; 1 Failed, TimedOut or Stopped; 2 bad usage or input
(nothing is sent); 3 an API or transport error; 130 interrupted.`,
		Args: oneFlowArg("run"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flow := args[0]
			if name != "" {
				if err := fnf.ValidateName("execution", name); err != nil {
					return usageErr("--name: %v", err)
				}
			}
			for _, f := range []string{"events", "trace"} {
				if noWait && cmd.Flags().Changed(f) {
					// Nothing is printed at the end of a run not waited for.
					return usageErr("--%s and --no-wait: the timeline comes when the execution ends, which --no-wait does not wait for; "+
						"leave one out (flowtui executions events FLOW NAME prints it later)", f)
				}
			}
			if cmd.Flags().Changed("timeout") && timeout <= 0 {
				return usageErr("--timeout %s: must be positive (leave --timeout out for the default, 5m30s)", timeout)
			}
			data, err := a.readInput(input)
			if err != nil {
				return err
			}
			a.fastWait = fastWait
			b, err := a.backend(timeout)
			if err != nil {
				return err
			}
			if fastWait && b.Info().Kind != fnf.KindLocal {
				where := "the cloud"
				if a.g.endpoint != "" {
					where = "the endpoint " + sanitize.Line(a.g.endpoint)
				}
				return usageErr("--fast-wait skips the waits of the local engine's clock; this run goes to %s, whose waits are its own (--local runs it on the engine)", where)
			}
			if noWait && b.Info().Kind == fnf.KindLocal {
				return usageErr("%s", noWaitLocal)
			}
			if err := a.checkTestCase(b.Info(), testCase); err != nil {
				return err
			}
			ctx := cmd.Context()
			hs, herr := a.openHistory(ctx)
			if fnf.IsSetupError(herr) || isUsage(herr) {
				return herr // a broken config.yaml or --history is fixed before anything runs
			}
			if herr != nil {
				fmt.Fprintf(a.io.err, "flowtui: %s (this run will not be recorded)\n", sanitize.Text(herr.Error()))
			}
			sample := !cmd.Flags().Changed("input") && b.Info().Kind == fnf.KindLocal
			std, standard, err := a.standardSide(ctx, b, flow, sample, noWait)
			if err != nil {
				return a.fail(cmd, asJSON, err)
			}
			if std != nil {
				if err := refuseLocalCallbacks(b, standard.flow, testCase); err != nil {
					return err
				}
			}
			if sample && standard.flow.SampleInput != "" {
				// A local flow's sample input makes a demo run work as is.
				data = []byte(standard.flow.SampleInput)
				fmt.Fprintln(a.io.err, "flowtui: no --input: using the flow's sample input")
			}
			if std != nil {
				return a.runStandard(cmd, standardRun{b: b, std: std, hs: hs, noWait: noWait, asJSON: asJSON, events: events || trace,
					req: fnf.StartRequest{FlowName: flow, ExecutionName: name, Input: string(data), TestCase: testCase}})
			}
			if events {
				fmt.Fprintln(a.io.err, "flowtui: no events: an Express run has none (--trace shows a local run's trace)")
			}
			req := fnf.SyncRequest{FlowName: flow, ExecutionName: name, Input: string(data), TestCase: testCase}
			out, _ := session.New(hs, session.Options{StopTimeout: recordGrace}).Start(ctx, b, req, time.Now()).Wait()
			res, err := out.Result, out.Err
			if out.NotSent {
				// Credentials that could not be had: nothing was sent, so no run.
				return a.fail(cmd, asJSON, err)
			}
			historyID := a.recorded(hs, out)
			if err != nil {
				if ctx.Err() != nil {
					err = &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: flow %q: %s", flow, fnf.Stopped(b.Info().Kind).Notice)}
				}
				return a.fail(cmd, asJSON, err)
			}
			if trace {
				if len(res.Trace) == 0 {
					fmt.Fprintln(a.io.err, "flowtui: no trace: only runs on the local engine have one")
				}
				printTrace(a.io.err, res.Trace)
			}
			return a.printRun(b.Info(), res, historyID, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&input, "input", "", "execution input: JSON text, @FILE, or - for stdin (a JSON object, at most 1 MiB); local flows default to their sample input")
	f.StringVar(&name, "name", "", "execution name (Express: the service appends :<UUID>; Standard: unique per flow, a running one is followed)")
	f.BoolVar(&noWait, "no-wait", false, "Standard flows: print the started execution at once instead of following it (not on the local engine)")
	f.BoolVar(&events, "events", false, "Standard flows: print the execution's event timeline on stderr when it ends")
	f.BoolVar(&asJSON, "json", false, "print the result as one JSON object")
	f.DurationVar(&timeout, "timeout", 0, "Express runs: give up waiting after this long (default 5m30s, the Express limit plus a margin; a local Express run stops there as TimedOut); a Standard run is followed until it ends")
	f.StringVar(&testCase, "test-case", "", "mock test case of a local run (default: the flow's Default case)")
	f.BoolVar(&fastWait, "fast-wait", false, "local runs: skip Waits, Retry intervals and callback Timeouts on a virtual clock; the times reported stay the flow's")
	f.BoolVar(&trace, "trace", false, "print the per-state trace of a local run on stderr (for a Standard flow: its events)")
	return cmd
}

// checkTestCase refuses a --test-case the backend cannot use: the cloud
// itself has no mocks.
func (a *app) checkTestCase(info fnf.Info, testCase string) error {
	if testCase != "" && info.Kind == fnf.KindCloud && a.g.endpoint == "" {
		return usageErr("--test-case picks mocks of local runs and of flowtui serve; the cloud has none")
	}
	return nil
}

// readInput reads --input and checks it (fnf.CheckInput).
func (a *app) readInput(spec string) ([]byte, error) {
	return a.readJSONArg("--input", spec, fnf.CheckInput)
}

// readJSONArg reads the JSON a flag gives (text, @FILE, or - for stdin),
// within the service's 1 MiB, and checks it with check; errors name the
// file, line and column. --input and report --succeeded read theirs here.
func (a *app) readJSONArg(flag, spec string, check func([]byte) error) ([]byte, error) {
	source := flag
	var data []byte
	switch {
	case spec == "-":
		source = "stdin"
		var err error
		if data, err = readLimited(a.io.in); err != nil {
			return nil, usageErr("%s -: %v", flag, err)
		}
	case strings.HasPrefix(spec, "@"):
		source = spec[1:]
		var err error
		if data, err = safefile.Read(source, fnf.MaxInputBytes); err != nil {
			if errors.Is(err, safefile.ErrTooLarge) {
				err = fmt.Errorf("%s: larger than 1 MiB, the service's limit", source)
			}
			return nil, usageErr("%s: %v", flag, err)
		}
	default:
		data = []byte(spec)
	}
	// Editors on some systems start a file with a byte order mark.
	data = fnf.TrimBOM(data)
	if err := check(data); err != nil {
		var ie *fnf.InputError
		if !errors.As(err, &ie) {
			return nil, usageErr("%s: %v", source, err)
		}
		if ie.Line > 0 {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s:%d:%d: %s", source, ie.Line, ie.Column, ie.Msg)}
		}
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %s", source, ie.Msg)}
	}
	return bytes.TrimSpace(data), nil
}

// readLimited reads at most one byte past the input limit, so that a huge file
// is refused without being read whole.
func readLimited(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, fnf.MaxInputBytes+1))
}

// recordGrace bounds the history write of an interrupted run: it is still
// recorded (as Cancelled), but the interrupt is not held up for long.
const recordGrace = 2 * time.Second

// recorded is the history id of the run session recorded, or 0 with the
// reason said on stderr; a failure to record does not change the exit code.
func (a *app) recorded(hs *history.Store, out session.Outcome) int64 {
	return a.rowID(hs, out.Row.ID, out.RowErr)
}

// rowID is id, or 0 with why the run was not recorded said on stderr.
func (a *app) rowID(hs *history.Store, id int64, err error) int64 {
	if hs == nil {
		return 0
	}
	if err != nil {
		fmt.Fprintf(a.io.err, "flowtui: history: %s (this run was not recorded)\n", sanitize.Text(err.Error()))
		return 0
	}
	return id
}

func (a *app) printRun(info fnf.Info, res *fnf.SyncResult, historyID int64, asJSON bool) error {
	dur, hasDur := res.Duration()
	code := exitOK
	if res.Status != fnf.StatusSucceeded {
		code = exitRunFailed
	}
	if asJSON {
		if err := writeJSON(a.io.out, runJSON{
			RequestId: res.RequestId, FlowName: res.FlowName, Name: res.Name, Status: res.Status,
			ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage, Output: res.Output,
			StartedTime: res.StartedTime, StoppedTime: res.StoppedTime,
			DurationMs: dur.Milliseconds(), LatencyMs: res.Latency.Milliseconds(), Backend: info.Kind, HistoryId: historyID, FastWait: a.fastWait,
		}); err != nil {
			return err
		}
	} else {
		if res.Output != "" {
			a.io.out.Write(prettyJSON(res.Output))
		}
		parts := []string{string(res.Status), res.FlowName, res.Name}
		if res.ErrorCode != "" || res.ErrorMessage != "" {
			parts = append(parts, strings.TrimSuffix(res.ErrorCode+": "+res.ErrorMessage, ": "))
		}
		if hasDur && dur == 0 {
			parts = append(parts, "<1 ms server") // stamps to the millisecond: under one, not none
		} else if hasDur {
			parts = append(parts, fmtMs(dur)+" server")
		}
		parts = append(parts, fmtMs(res.Latency)+" round trip")
		if a.fastWait {
			// The server's times are the flow's; the round trip is real.
			parts = append(parts, "waits skipped (--fast-wait)")
		}
		for i, p := range parts {
			parts[i] = sanitize.Line(p)
		}
		fmt.Fprintln(a.io.err, strings.Join(parts, " · "))
	}
	if code != exitOK {
		return &exitError{code: code, err: errPrinted}
	}
	return nil
}

// prettyJSON indents JSON text for the terminal (escapes stay escaped) and makes
// it safe to print; text that is not JSON is shown as it is, sanitised.
func prettyJSON(s string) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		return append(sanitize.Bytes([]byte(s)), '\n')
	}
	buf.WriteByte('\n')
	return sanitize.JSON(buf.Bytes())
}

// printTrace writes one line per state of a local run; attempts count from 1,
// as the TUI's Trace tab counts them.
func printTrace(w io.Writer, steps []fnf.Step) {
	if len(steps) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tTYPE\tATTEMPT\tTIME\tRESULT")
	for _, s := range steps {
		result := clip(s.Output, 60)
		if s.Error != "" {
			result = "error " + clip(s.Error, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", sanitize.Line(s.State), sanitize.Line(s.Type), s.Try(), fmtDuration(s.Duration), sanitize.Line(result))
	}
	tw.Flush()
}

// fmtDuration shows short durations in µs, others in ms.
func fmtDuration(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
	return fmtMs(d)
}

// fmtMs shows whole milliseconds, the service's precision; a shorter time
// reads "<1 ms", as in the TUI, never "0 ms".
func fmtMs(d time.Duration) string {
	if d > 0 && d < time.Millisecond {
		return "<1 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// writeJSON prints v indented, with HTML characters unescaped and control
// characters escaped so that the text is safe on a terminal and stays valid JSON.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(sanitize.JSON(buf.Bytes()))
	return err
}

// fail reports a backend error: as {"Error":…} on stdout with --json, else
// through run's printer on stderr.
func (a *app) fail(cmd *cobra.Command, asJSON bool, err error) error {
	ee := classify(cmd.Context(), err)
	if !asJSON {
		return ee
	}
	return a.printErrorJSON(ee)
}

// printErrorJSON writes ee as {"Error":…} on stdout and returns its exit code.
func (a *app) printErrorJSON(ee *exitError) error {
	if werr := writeJSON(a.io.out, toErrorJSON(ee)); werr != nil {
		return werr
	}
	return &exitError{code: ee.code, err: errPrinted}
}
