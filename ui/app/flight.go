package app

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Runner runs a flow and keeps it in the history (session.Session): the
// root only says which run to start or stop, and shows what came of it.
// Tests may give a Session of their own (timeouts, a clock) or a fake.
type Runner interface {
	Start(ctx context.Context, b fnf.Backend, req fnf.SyncRequest, start time.Time) session.Run
	// StartBench registers a bench of req (cfg's calls); its Wait runs it
	// and records its summary row.
	StartBench(b fnf.Backend, req fnf.SyncRequest, cfg bench.Config, start time.Time) session.Run
	// StartExecution starts a Standard execution and records its start;
	// Executions lists those started and not yet seen to end.
	StartExecution(ctx context.Context, b fnf.Backend, std fnf.Standard, req fnf.StartRequest, start time.Time) *session.Execution
	Executions() []*session.Execution
	AtExit()
	Finish(now time.Time) string
}

// runCmd makes run id's call and records it, then says what came of it;
// nothing when Finish recorded it first (the program is ending). A set-up
// problem is no run: nothing was sent.
func runCmd(id int64, run session.Run) tea.Cmd {
	return func() tea.Msg {
		out, ok := run.Wait()
		switch {
		case !ok:
			return nil
		case out.NotSent:
			return msgs.RunNotSent{ID: id, Err: out.Err}
		}
		return msgs.RunFinished{ID: id, View: viewOf(out.Row, out.Result, out.Err, out.RowErr)}
	}
}

// Finish records the runs still unrecorded when the program ends (q,
// ctrl+c, an interrupt), each as stopped now unless esc stopped it before,
// and a bench in flight with what it ran; it returns what to tell the user
// on the terminal, one line per run ("" when none was in flight). Call it
// once the program has returned and before the history is closed.
func (m Model) Finish() string {
	if m.runner == nil {
		return "" // not a model New made
	}
	return m.runner.Finish(m.opts.Now())
}
