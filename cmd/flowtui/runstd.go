// `flowtui run` of a Standard flow: start it, follow it to its end, print
// it as an Express run prints.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/session/backend"
	"github.com/flowtui/flowtui/ui/common"
)

// runOnServe is where a run the local engine cannot do goes instead.
const runOnServe = "start `flowtui serve` (with the same --flows and --mocks) and run it there with --endpoint http://127.0.0.1:9791"

// noWaitLocal refuses --no-wait on the local engine.
const noWaitLocal = "--no-wait: a local Standard execution runs inside this flowtui process and cannot outlive it; " +
	runOnServe + ", or leave --no-wait out"

// refuseLocalCallbacks refuses, before it starts, a local run of a flow
// with a task that waits for ReportTaskSucceeded or ReportTaskFailed and
// that the test case does not mock: the token would live in this process,
// where no other command can report it.
func refuseLocalCallbacks(b fnf.Backend, flow fnf.Flow, testCase string) error {
	l, ok := b.(*engine.Local)
	if !ok {
		return nil
	}
	tasks := l.UnansweredCallbacks(flow, testCase)
	if len(tasks) == 0 {
		return nil
	}
	return usageErr("flow %q: task %q waits for a callback (TaskMode WaitForCustomCallback) that another command reports "+
		"(flowtui executions report), but a local execution lives inside this flowtui process, where none can; "+
		"mock the task in a test case (--test-case; its mock is the callback), or %s",
		flow.Name, tasks[0], runOnServe)
}

// described is the flow run looked up, when it could be.
type described struct {
	flow fnf.Flow
	ok   bool
}

// standardSide says how flow runs on b: as a Standard execution (b's
// Standard side, for a Standard flow, legacy FDL included) or, nil,
// synchronously. The flow is described when that decides it, when the
// local sample input is wanted, or for --no-wait; a flow that does not
// exist is that error; one that cannot be described for another reason
// runs synchronously, whose call then says why it cannot.
func (a *app) standardSide(ctx context.Context, b fnf.Backend, flow string, sample, noWait bool) (fnf.Standard, described, error) {
	std, has := fnf.StandardOf(b)
	if noWait && !has {
		return nil, described{}, usageErr("--no-wait: %s cannot start Standard executions; leave --no-wait out", backendName(b.Info()))
	}
	var d described
	if has || sample {
		f, err := b.DescribeFlow(ctx, flow)
		if ctx.Err() != nil {
			// Interrupted before any start: nothing runs, nothing to record.
			return nil, d, &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: flow %q: nothing was started", flow)}
		}
		if err != nil && (noWait || errors.Is(err, fnf.ErrFlowNotExists)) {
			// A flow that does not exist is said as DescribeFlow said it:
			// no start is sent to hear it again.
			return nil, d, err
		}
		d = described{f, err == nil}
	}
	if !d.ok || d.flow.Mode() != fnf.ModeStandard {
		if noWait {
			return nil, d, usageErr("--no-wait: flow %q is an Express flow, which runs synchronously; leave --no-wait out", flow)
		}
		return nil, d, nil
	}
	return std, d, nil
}

func backendName(info fnf.Info) string {
	if info.Kind == fnf.KindLocal {
		return "the local engine"
	}
	if info.Endpoint != "" {
		return "the endpoint " + info.Endpoint
	}
	return "this backend"
}

// standardRun is what run hands over for a Standard flow.
type standardRun struct {
	b                      fnf.Backend
	std                    fnf.Standard
	hs                     *history.Store
	req                    fnf.StartRequest
	noWait, asJSON, events bool
}

// runStandard starts the execution and follows it (session.Follow), then
// prints it as an Express run is printed; exit codes as for Express.
func (a *app) runStandard(cmd *cobra.Command, r standardRun) error {
	ctx := cmd.Context()
	start := time.Now()
	prior := runningRow(ctx, r.hs, r.b.Info(), r.req)
	e := session.New(r.hs, session.Options{StopTimeout: recordGrace}).StartExecution(ctx, r.b, r.std, r.req, start)
	if e.NotSent {
		return a.fail(cmd, r.asJSON, e.Err)
	}
	id := a.rowID(r.hs, e.Row.ID, e.RowErr)
	info := r.b.Info()
	if e.Err != nil {
		return a.fail(cmd, r.asJSON, a.checkOnSameBackend(info, e.Err))
	}
	a.noteAlreadyRunning(r.req, e.Detail, prior != 0 && e.Row.ID == prior)
	if r.noWait {
		return a.printStarted(info, e.Detail, time.Since(start), id, r.asJSON)
	}
	f := e.Follow(ctx)
	if e.RowErr != nil && id != 0 {
		id = a.rowID(r.hs, id, e.RowErr) // the end could not be recorded
	}
	name, flow := f.Detail.Name, r.req.FlowName
	switch {
	case f.Interrupted:
		return a.fail(cmd, r.asJSON, &exitError{code: exitInterrupted, err: a.interruptNote(info, flow, name, f)})
	case f.Err != nil:
		return a.fail(cmd, r.asJSON, fmt.Errorf("following execution %s of flow %s: %w (it may still be running: %s)",
			name, flow, f.Err, a.commandFor(info, "executions", "show", flow, name)))
	}
	if r.events {
		if f.EventsErr != nil {
			fmt.Fprintf(a.io.err, "flowtui: no events: %s\n", sanitize.Text(f.EventsErr.Error()))
		}
		printEvents(a.io.err, f.Events)
	}
	res := &fnf.SyncResult{Execution: f.Detail.Execution(), Latency: time.Since(start)}
	return a.printRun(info, res, id, r.asJSON)
}

// runningRow is the id of the history row of a running execution of the
// name req asks for, 0 when there is none (or no name, or no history).
func runningRow(ctx context.Context, hs *history.Store, info fnf.Info, req fnf.StartRequest) int64 {
	if hs == nil || req.ExecutionName == "" {
		return 0
	}
	id, err := hs.FindRunning(ctx, info, req.FlowName, req.ExecutionName)
	if err != nil {
		return 0
	}
	return id
}

// noteAlreadyRunning says on stderr when the start answered with an
// execution of that name that was already running (the service returns
// it rather than starting another): it is the one followed, and an
// --input other than its own was not used. recorded: the history had it
// Running; an input other than the one sent shows it too.
func (a *app) noteAlreadyRunning(req fnf.StartRequest, d fnf.ExecutionDetail, recorded bool) {
	differs := req.Input != "" && d.Input != "" && !sameJSON(req.Input, d.Input)
	if req.ExecutionName == "" || !(recorded || differs) {
		return
	}
	fmt.Fprintf(a.io.err, "flowtui: an execution named %s of flow %s was already running: following it", sanitize.Line(d.Name), sanitize.Line(d.FlowName))
	if differs {
		fmt.Fprint(a.io.err, "; the --input given was not used (the execution keeps its own input)")
	}
	fmt.Fprintln(a.io.err)
}

// sameJSON reports whether two JSON texts are the same but for spacing.
func sameJSON(x, y string) bool {
	var bx, by bytes.Buffer
	if json.Compact(&bx, []byte(x)) != nil || json.Compact(&by, []byte(y)) != nil {
		return x == y
	}
	return bytes.Equal(bx.Bytes(), by.Bytes())
}

// interruptNote says what became of an execution whose follow was
// interrupted: stopped (local), or going on, with the command that stops it.
func (a *app) interruptNote(info fnf.Info, flow, name string, f session.Followed) error {
	if f.Stopped {
		return fmt.Errorf("interrupted: flow %q: the local execution %s was stopped (recorded Stopped: a local execution cannot outlive flowtui)", flow, name)
	}
	if info.Kind == fnf.KindLocal {
		return fmt.Errorf("interrupted: flow %q: the local execution %s could not be stopped: %v", flow, name, f.Err)
	}
	return fmt.Errorf("interrupted: flow %q: execution %s goes on server-side; stop it with:\n  %s", flow, name,
		a.commandFor(info, "executions", "stop", flow, name))
}

// checkOnSameBackend completes the command an unknown start outcome gives
// (fnf.UnknownOutcomeError.Check, written by the client without flags)
// with the flags that choose this backend: run as printed, it asks where
// the execution was started, not the default cloud region.
func (a *app) checkOnSameBackend(info fnf.Info, err error) error {
	var uo *fnf.UnknownOutcomeError
	if errors.As(err, &uo) {
		if args, ok := strings.CutPrefix(uo.Check, "flowtui "); ok {
			uo.Check = a.commandFor(info, strings.Fields(args)...)
		}
	}
	return err
}

// commandFor is the flowtui command line args, with the flags that choose
// the same backend again, and the history the run is recorded in: run as
// printed, a show or stop that sees the end records it in that row.
func (a *app) commandFor(info fnf.Info, args ...string) string {
	return a.commandOn(a.flags(), info, args...)
}

// commandForRun is commandFor for a recorded run: the flags choose the
// backend the run was recorded on (its endpoint, or region, and profile),
// whatever the flags in force, so that a printed command asks where the
// execution runs, not the default cloud region.
func (a *app) commandForRun(r history.Run, args ...string) string {
	info := fnf.Info{Kind: r.Backend, Endpoint: r.Endpoint, Region: r.Region, Profile: r.Profile}
	f := backend.Flags{Signature: a.g.signature}
	if r.Endpoint != client.DefaultEndpoint(r.Region) {
		f.Endpoint = r.Endpoint
	}
	if r.Profile != envProfile {
		f.Profile = r.Profile // the environment's keys are not a profile
	}
	return a.commandOn(f, info, args...)
}

// envProfile is the Profile the client records for keys from the
// environment (client.ResolveCredentials): no --profile chooses them.
const envProfile = "env"

// commandOn is the flowtui command line args with the flags f that choose
// the backend info describes, and the history in force.
func (a *app) commandOn(f backend.Flags, info fnf.Info, args ...string) string {
	line := append([]string{"flowtui"}, args...)
	line = append(line, backend.Reproduce(f, info)...)
	if a.g.history != "" && !a.g.noHistory {
		line = append(line, "--history", a.g.history)
	}
	return common.CommandLine(line...)
}

// printStarted prints an execution started with --no-wait: with --json the
// run object (Status Running); else its name on stdout, for scripts, and
// a summary with the commands that follow it on stderr.
func (a *app) printStarted(info fnf.Info, d fnf.ExecutionDetail, latency time.Duration, historyID int64, asJSON bool) error {
	if asJSON {
		return writeJSON(a.io.out, runJSON{
			RequestId: d.RequestId, FlowName: d.FlowName, Name: d.Name, Status: d.Status,
			ErrorCode: d.ErrorCode, ErrorMessage: d.ErrorMessage, Output: d.Output,
			StartedTime: d.StartedTime, StoppedTime: d.StoppedTime,
			LatencyMs: latency.Milliseconds(), Backend: info.Kind, HistoryId: historyID,
		})
	}
	fmt.Fprintln(a.io.out, sanitize.Line(d.Name))
	fmt.Fprintf(a.io.err, "%s · %s · %s · started; follow it with:\n  %s\n", sanitize.Line(string(d.Status)),
		sanitize.Line(d.FlowName), sanitize.Line(d.Name), sanitize.Line(a.commandFor(info, "executions", "show", d.FlowName, d.Name, "--wait", "60s")))
	return nil
}
