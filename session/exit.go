package session

import (
	"context"
	"fmt"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// QuitCause is the Cause of a local execution stopped as the program quit.
const QuitCause = "flowtui quit while this local execution ran: a local execution cannot outlive the process that runs it"

// exitDescribeGap spaces the DescribeExecution calls made at exit: four a
// second at most, within the API's bucket of about 5 a second.
const exitDescribeGap = 250 * time.Millisecond

// finishExecutions ends the Standard executions still running as the
// program ends: a local one is stopped and recorded Stopped; a remote one
// is described first (its end may have come while nobody followed it), an
// ended one recorded as ended, and only one still running (or whose state
// could not be learnt) said to go on. One line each, to tell the user.
func (s *Session) finishExecutions(ctx context.Context) []string {
	live := s.Executions()
	remote := s.describeAtExit(ctx, live)
	var out []string
	for _, e := range live {
		if note, ok := remote[e]; ok {
			out = append(out, note)
			continue
		}
		out = append(out, stopAtExit(ctx, e))
	}
	return out
}

// describeAtExit describes the remote executions of live, within ExitGrace
// in all and one call per exitDescribeGap, and says what became of each.
func (s *Session) describeAtExit(ctx context.Context, live []*Execution) map[*Execution]string {
	ctx, cancel := context.WithTimeout(ctx, s.o.ExitGrace)
	defer cancel()
	notes := map[*Execution]string{}
	var last time.Time
	for _, e := range live {
		if e.Local() {
			continue
		}
		if !last.IsZero() && !pause(ctx, exitDescribeGap-time.Since(last)) {
			notes[e] = e.goesOn(fmt.Errorf("no time left to ask at exit"))
			continue
		}
		last = time.Now()
		d, err := e.std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: e.req.FlowName, ExecutionName: e.execName})
		switch {
		case err != nil:
			notes[e] = e.goesOn(err)
		case d.Status.Terminal():
			notes[e] = e.endedAtExit(ctx, d)
		default:
			notes[e] = e.goesOn(nil)
		}
	}
	return notes
}

// goesOn says that e goes on where it runs, or may (its state could not be
// learnt: why), and the command that shows it.
func (e *Execution) goesOn(unknown error) string {
	show := fmt.Sprintf("(flowtui executions show %s %s)", e.FlowName(), e.Name())
	if unknown != nil {
		return fmt.Sprintf("the state of the execution %s of %s could not be learnt (%v): it may go on at %s %s",
			e.Name(), e.FlowName(), unknown, where(e.backend.Info()), show)
	}
	return fmt.Sprintf("the execution %s of %s goes on at %s %s", e.Name(), e.FlowName(), where(e.backend.Info()), show)
}

// endedAtExit records the end of e, seen at exit, by the rule of an end
// seen later (Observed), and says so.
func (e *Execution) endedAtExit(ctx context.Context, d fnf.ExecutionDetail) string {
	id, err := e.observed(ctx, d)
	note := fmt.Sprintf("the execution %s of %s has ended: %s", e.Name(), e.FlowName(), d.Status)
	switch {
	case err != nil:
		note += "; not recorded in the history: " + err.Error()
	case id != 0:
		note += fmt.Sprintf(" (recorded in the history as run %d)", id)
	}
	return note
}

// observed records the end d of e, seen by someone other than a follow or a
// stop, once: its row is brought up to date as Observed does.
func (e *Execution) observed(ctx context.Context, d fnf.ExecutionDetail) (int64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.recorded {
		return e.Row.ID, e.RowErr
	}
	e.recorded = true
	e.s.track(e, false)
	e.Detail = d
	return e.s.Observed(ctx, e.backend, e.std, d)
}

// stopAtExit stops the local execution e and says how it ended.
func stopAtExit(ctx context.Context, e *Execution) string {
	p := e.StopAndRecord(ctx, StopError, QuitCause)
	switch {
	case p.Err != nil:
		return fmt.Sprintf("the local execution %s of %s could not be stopped: %v", e.Name(), e.FlowName(), p.Err)
	case p.RowErr != nil:
		return fmt.Sprintf("the local execution %s of %s: %s; not recorded in the history: %v", e.Name(), e.FlowName(), p.Detail.Status, p.RowErr)
	default:
		return fmt.Sprintf("the local execution %s of %s: %s (recorded in the history as run %d)", e.Name(), e.FlowName(), p.Detail.Status, p.Row.ID)
	}
}

// where names a remote backend for a sentence.
func where(i fnf.Info) string {
	if i.Endpoint != "" {
		return i.Endpoint
	}
	return "the service (" + i.Region + ")"
}
