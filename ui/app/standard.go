package app

// A Standard run in the TUI: ctrl+r starts the execution and follows it one
// command at a time (session.Execution.Step: a short long-poll and the new
// events), each answer shown as msgs.RunProgress until msgs.RunFinished;
// esc stops following and leaves it running; a key stops it after a
// confirmation.

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/palette"
)

// What StopExecution says of an execution stopped from the TUI.
const (
	stopError = "flowtui.StoppedByUser"
	stopCause = "stopped by its user from the flowtui terminal UI"
)

// maxStepFails is how many DescribeExecution errors in a row a follow
// bears before it gives up (the execution goes on).
const maxStepFails = 3

// following is the Standard execution the TUI follows, if any.
type following struct {
	id    int64              // the run followed (runSeq); 0: none
	exec  *session.Execution // nil until StartExecution answers
	std   fnf.Standard
	flow  string
	last  msgs.RunView // as last seen
	task  session.Task // the callback task it waits on (Token "" for none)
	sent  string       // the token of the task last reported, not offered again
	fails int          // step errors in a row
}

// execStarted is StartExecution's answer for run id.
type execStarted struct {
	id   int64
	exec *session.Execution
}

// stepped is one step of the follow of run id, or the end of a local
// execution no longer followed (watch).
type stepped struct {
	id    int64
	exec  *session.Execution
	p     session.Progress
	watch bool
}

// execStopped says how StopExecution went.
type execStopped struct {
	flow, name string
	ended      fnf.Status // it had ended before the answer: nothing was stopped
	err        error
}

// startStandard starts run id of a Standard flow and follows it.
func (m Model) startStandard(id int64, f fnf.Flow, std fnf.Standard, input string, started time.Time) (tea.Model, tea.Cmd) {
	m.inflight, m.flight, m.running, m.inputRan = id, nil, f.Name, true
	m.live = following{id: id, std: std, flow: f.Name}
	m.status.SetRun("starting "+f.Name, false)
	m.status.SetMessage("", false)
	m.setFocus(paneResult)
	req := fnf.StartRequest{FlowName: f.Name, Input: input, TestCase: m.testCases[f.Name]}
	r, b := m.runner, m.backend
	m.c.Log.Debug("start execution", "id", id, "flow", f.Name, "input_bytes", len(input), "test_case", req.TestCase)
	start := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		return execStarted{id: id, exec: r.StartExecution(ctx, b, std, req, started)}
	}
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: b.Info().Kind}, start)
}

// stepCmd makes the next step of the follow of run id.
func stepCmd(id int64, e *session.Execution) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), session.StepWait+listTimeout)
		defer cancel()
		return stepped{id: id, exec: e, p: e.Step(ctx, session.StepWait)}
	}
}

// watchCmd waits for the end of the local execution of run id, no longer
// followed (esc), so that its row, and Runs, get its end: the local
// engine's long-polls cost nothing at a service.
func watchCmd(id int64, e *session.Execution) tea.Cmd {
	if !e.Local() {
		return nil // Runs' refresh and the exit learn a remote one's end
	}
	return func() tea.Msg {
		return stepped{id: id, exec: e, p: e.Watch(context.Background()), watch: true}
	}
}

// watchedEnd shows the end of an execution no longer followed, seen by a
// watch or a late step: Runs updates its row, a stop confirmation of it
// closes, the user is told.
func (m Model) watchedEnd(s stepped) (tea.Model, tea.Cmd) {
	p, e := s.p, s.exec
	if !p.Ended {
		m.c.Log.Debug("watch ended", "execution", e.Name(), "error", p.Err)
		return m, nil
	}
	v := viewOf(p.Row, nil, nil, p.RowErr)
	v.Events, v.EventsErr = p.Events, p.EventsErr
	m.closeStopAsk(e, p.Detail.Status)
	m.status.SetMessage(fmt.Sprintf("the execution %s of %s, no longer followed, has ended: %s",
		e.Name(), e.FlowName(), p.Detail.Status), p.Detail.Status != fnf.StatusSucceeded)
	return m.broadcast(msgs.RunFinished{ID: s.id, View: v})
}

// execStartedMsg follows the execution started, or says why none was.
func (m Model) execStartedMsg(s execStarted) (tea.Model, tea.Cmd) {
	e := s.exec
	if s.id != m.live.id {
		if e.Err == nil && !e.NotSent { // esc came before the start's answer
			m.status.SetMessage(fmt.Sprintf("the execution %s of %s started after esc: it goes on %s; Runs can reopen it",
				e.Name(), e.FlowName(), goesOn(e)), false)
			return m, watchCmd(s.id, e)
		}
		return m, nil
	}
	switch {
	case e.NotSent:
		m.live = following{}
		return m.Update(msgs.RunNotSent{ID: s.id, Err: e.Err})
	case e.Err != nil:
		m.live = following{}
		return m.Update(msgs.RunFinished{ID: s.id, View: viewOf(e.Row, nil, e.Err, e.RowErr)})
	}
	m.live.exec, m.live.last = e, viewOf(e.Row, nil, nil, e.RowErr)
	m.status.SetRun("following "+e.FlowName()+" · "+m.live.last.ShortName()+" · Running", false)
	m.updateHints()
	return m, stepCmd(s.id, e)
}

// steppedMsg shows a step: the progress, and the next step; or the end.
func (m Model) steppedMsg(s stepped) (tea.Model, tea.Cmd) {
	if s.watch {
		return m.watchedEnd(s)
	}
	if s.id != m.live.id || s.exec != m.live.exec {
		// No longer followed: the step in flight at esc may have seen a
		// remote one end (it recorded it); a watch tells of a local one's.
		if s.p.Ended && !s.exec.Local() {
			return m.watchedEnd(s)
		}
		return m, nil
	}
	p, e := s.p, s.exec
	if p.Err != nil && !p.Ended {
		m.live.fails++
		if m.live.fails < maxStepFails {
			m.status.SetMessage("following "+e.Name()+": "+p.Err.Error()+"; trying again", true)
			return m, stepCmd(s.id, e)
		}
		v := m.live.last
		v.Err = p.Err
		m.live = following{}
		model, cmd := m.Update(msgs.RunFinished{ID: s.id, View: v})
		mm := model.(Model)
		mm.status.SetMessage(fmt.Sprintf("lost track of the execution %s of %s: %v; it may go on %s: Runs can reopen it",
			e.Name(), e.FlowName(), p.Err, goesOn(e)), true)
		return mm, cmd
	}
	v := viewOf(p.Row, nil, nil, p.RowErr)
	v.Events, v.EventsErr = p.Events, p.EventsErr
	if p.Ended {
		m.live = following{}
		model, cmd := m.Update(msgs.RunFinished{ID: s.id, View: v})
		mm := model.(Model)
		mm.closeStopAsk(e, p.Detail.Status)
		return mm, cmd
	}
	m.live.fails, m.live.last = 0, v
	m.status.SetRun(progressLine(v), false)
	m.noteTask(e, p.Waiting)
	model, cmd := m.broadcast(msgs.RunProgress{ID: s.id, View: v})
	return model, tea.Batch(cmd, stepCmd(s.id, e))
}

// progressLine is the status bar's line about a followed execution.
func progressLine(v msgs.RunView) string {
	s := "following " + v.FlowName + " · " + v.ShortName() + " · " + string(v.Status) + " · " + common.Duration(v.Latency.Truncate(time.Second))
	if n := len(v.Events); n == 1 {
		s += " · 1 event"
	} else {
		s += fmt.Sprintf(" · %d events", n)
	}
	return s
}

// goesOn says where an execution left running goes on.
func goesOn(e *session.Execution) string {
	if e.Local() {
		return "in this flowtui until it quits"
	}
	return "at the service"
}

// unfollow stops following (esc): the execution goes on, and Result keeps
// what was last seen of it.
func (m Model) unfollow() (tea.Model, tea.Cmd) {
	f := m.live
	m.inflight, m.flight, m.live = 0, nil, following{}
	if f.exec == nil {
		notice := "stopped waiting for the start of " + f.flow + ": if it started, it goes on; Runs can reopen it"
		m.status.SetRun(notice, false)
		return m.broadcast(msgs.RunCancelled{ID: f.id, At: m.opts.Now(), Notice: notice})
	}
	notice := fmt.Sprintf("stopped following %s · %s: the execution goes on %s; Runs can reopen it",
		f.flow, f.last.ShortName(), goesOn(f.exec))
	m.status.SetRun(notice, false)
	m.status.SetMessage("", false)
	// Its last view first (Runs shows its row), then the stop: Result keeps
	// its events and says it is no longer followed, not how it ended.
	_, shown := m.broadcast(msgs.RunProgress{ID: f.id, View: f.last})
	model, cmd := m.broadcast(msgs.RunCancelled{ID: f.id, At: m.opts.Now(), Notice: notice}, watchCmd(f.id, f.exec))
	return model, tea.Batch(shown, cmd)
}

// askStop asks before stopping the execution followed, naming it; what
// the answer stops is decided now.
func (m Model) askStop() (tea.Model, tea.Cmd) {
	e := m.live.exec
	if e == nil {
		m.status.SetMessage("no Standard execution is followed: ctrl+r starts one", true)
		return m, nil
	}
	m.ask = asking{stop: e}
	m.pick.Open(kindStopExec, "Stop "+e.FlowName()+" · "+m.live.last.ShortName()+"?", []palette.Item{
		{ID: "keep", Title: "No: keep it running", Current: true},
		{ID: "stop", Title: "Stop the execution " + e.Name() + " of flow " + e.FlowName()},
	})
	return m, nil
}

// stopExecCmd stops e unless it has ended meanwhile; the follow sees it
// end and records it.
func stopExecCmd(e *session.Execution) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		d, stopped, err := e.StopIfRunning(ctx, stopError, stopCause)
		s := execStopped{flow: e.FlowName(), name: e.Name(), err: err}
		if err == nil && !stopped {
			s.ended = d.Status
		}
		return s
	}
}

func (m Model) execStoppedMsg(s execStopped) (tea.Model, tea.Cmd) {
	switch {
	case s.err != nil:
		m.status.SetMessage(fmt.Sprintf("stopping the execution %s of %s: %v", s.name, s.flow, s.err), true)
	case s.ended != "":
		m.status.SetMessage(endedBeforeStop(s.name, s.flow, s.ended), false)
	default:
		m.status.SetMessage(fmt.Sprintf("asked the execution %s of %s to stop", s.name, s.flow), false)
	}
	return m, nil
}

// endedBeforeStop says that a stop asked for came too late.
func endedBeforeStop(name, flow string, status fnf.Status) string {
	return fmt.Sprintf("the execution %s of %s had already ended (%s): nothing was stopped", name, flow, status)
}

// closeStopAsk closes the stop confirmation of e, which has ended: there is
// nothing left to stop, and the user is told so.
func (m *Model) closeStopAsk(e *session.Execution, status fnf.Status) {
	if m.ask.stop != e || !m.pick.IsOpen() || m.pick.Kind() != kindStopExec {
		return
	}
	m.pick.Close()
	m.ask = asking{}
	m.status.SetMessage(endedBeforeStop(e.Name(), e.FlowName(), status), false)
}

// askQuit quits, asking first while local Standard executions run: they
// end with the program (Finish stops and records them). A second quit key
// while asked quits.
func (m *Model) askQuit() (tea.Model, tea.Cmd) {
	var local, remote int
	for _, e := range m.runner.Executions() {
		if e.Local() {
			local++
		} else {
			remote++
		}
	}
	if local == 0 || m.ask.quit && m.pick.IsOpen() {
		return m.quit()
	}
	title := "Quit? " + human.Count(local, "local execution runs", "local executions run")
	if remote > 0 {
		// Not "goes on": a remote one may have ended unseen; the exit
		// describes them and says which go on.
		title += " (" + human.Count(remote, "remote one is not stopped", "remote ones are not stopped") + ")"
	}
	m.ask = asking{quit: true}
	m.pick.Open(kindQuit, title, []palette.Item{
		{ID: "stay", Title: "No: stay", Current: true},
		{ID: "quit", Title: "Quit: stop " + human.Count(local, "local execution", "local executions") + " (recorded Stopped)"},
	})
	return *m, nil
}
