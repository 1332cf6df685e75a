// How the executions commands, run --events and history show print
// Standard executions and their events. Every text from the backend goes
// through the sanitiser.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
)

// executionTime is a service time as the history shows times, or the text
// as it came when it does not parse.
func executionTime(s string) string {
	if t, ok := fnf.ParseTime(s); ok {
		return fmtTime(t)
	}
	return s
}

// durationCell is how long an execution ran, or has run so far.
func durationCell(d fnf.ExecutionDetail, now time.Time) string {
	if took, ok := d.Execution().Duration(); ok {
		return common.Duration(took)
	}
	if started, ok := fnf.ParseTime(d.StartedTime); ok && !d.Status.Terminal() {
		so := now.Sub(started)
		if so < time.Second {
			// Just started, or a server clock a little ahead: whole
			// seconds would read "0 µs".
			return "<1 s so far"
		}
		return common.Duration(so.Truncate(time.Second)) + " so far"
	}
	return unknown
}

// printExecutions writes a table of executions, newest first.
func printExecutions(out, errw io.Writer, execs []fnf.ExecutionDetail, now time.Time) {
	if len(execs) == 0 {
		fmt.Fprintln(errw, "flowtui: no executions")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STARTED\tSTATUS\tDURATION\tNAME")
	for _, d := range execs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sanitize.Line(executionTime(d.StartedTime)), sanitize.Line(string(d.Status)),
			durationCell(d, now), sanitize.Line(d.Name))
	}
	tw.Flush()
}

// printExecution writes one execution: its fields, then its input and output.
func printExecution(w io.Writer, d fnf.ExecutionDetail, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, sanitize.Line(v))
		}
	}
	row("Flow", d.FlowName)
	row("Name", d.Name)
	row("Status", string(d.Status))
	row("Started", executionTime(d.StartedTime))
	row("Stopped", executionTime(d.StoppedTime))
	row("Duration", durationCell(d, now))
	row("Error", strings.TrimSuffix(d.ErrorCode+": "+d.ErrorMessage, ": "))
	row("Request", d.RequestId)
	tw.Flush()
	for _, body := range []struct{ name, text string }{{"Input", d.Input}, {"Output", d.Output}} {
		if body.text != "" {
			fmt.Fprintf(w, "%s:\n", body.name)
			w.Write(prettyJSON(body.text))
		}
	}
}

// printEvents writes an event timeline: time, step, event type and a
// summary of the detail.
func printEvents(w io.Writer, events []fnf.Event) {
	if len(events) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSTEP\tEVENT\tDETAIL")
	for _, e := range events {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sanitize.Line(executionTime(e.Time)), sanitize.Line(cellOr(e.StepName)),
			sanitize.Line(e.Type), sanitize.Line(detailSummary(e.EventDetail)))
	}
	tw.Flush()
}

func cellOr(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// detailSummary is an event's detail on one line, cut to fit a terminal.
func detailSummary(s string) string {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) == nil {
		s = buf.String()
	}
	if s == "{}" {
		return ""
	}
	return clip(s, 80)
}

// printRunEvents writes the events of a Standard run from the history, or
// says why there are none.
func (a *app) printRunEvents(w io.Writer, r history.Run) {
	if r.Mode != fnf.ModeStandard {
		return
	}
	fmt.Fprint(w, "\nEvents:\n")
	events, err := r.EventList()
	switch {
	case err != nil:
		fmt.Fprintf(w, "(%s)\n", sanitize.Line(err.Error()))
	case len(events) == 0 && !r.Status.Terminal() && r.Backend == fnf.KindLocal:
		// A local execution lived in the flowtui that ran it: none can look it up now.
		fmt.Fprintln(w, "(none: the local execution had not ended when last seen, and it ended with the flowtui process that ran it)")
	case len(events) == 0 && !r.Status.Terminal():
		fmt.Fprintf(w, "(none yet: the execution had not ended when last seen; %s brings this run up to date once it has)\n",
			sanitize.Line(a.commandForRun(r, "executions", "show", r.FlowName, r.Name)))
	case len(events) == 0:
		fmt.Fprintln(w, "(none recorded)")
	default:
		printEvents(w, events)
	}
}
