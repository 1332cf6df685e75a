package app

// Answering a callback task by hand: while the followed execution waits on
// a WaitForCustomCallback task, the status bar shows its token, and keys
// (or the palette) report it succeeded, with the editor's text as its
// output, or failed, with an error code and cause typed in the palette.

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/ui/palette"
)

// The palette lists of a Standard run: confirmations and prompts.
const (
	kindStopExec  = "stop-execution"
	kindQuit      = "quit"
	kindFailCode  = "task-fail-code"
	kindFailCause = "task-fail-cause"
	noCause       = "-"
)

// asking is what an open confirmation or prompt is about, fixed when it
// was opened: the answer acts on that, whatever happened since.
type asking struct {
	stop *session.Execution // the execution a stop confirmation names
	quit bool               // the quit confirmation is open
	task session.Task       // the callback task a failure prompt is for
	std  fnf.Standard       // where to report it
	code string             // the error code typed
}

// taskReported says how ReportTaskSucceeded or ReportTaskFailed went.
type taskReported struct {
	task      session.Task
	succeeded bool
	err       error
}

// noteTask shows the callback task the execution waits on, once per task.
func (m *Model) noteTask(e *session.Execution, waiting []session.Task) {
	var t session.Task
	for _, w := range waiting {
		if w.Token != m.live.sent {
			t = w
			break
		}
	}
	if t == m.live.task {
		return
	}
	m.live.task = t
	if t.Token == "" {
		return
	}
	g := m.c.Keys
	// The token first: a narrow status bar cuts the end, and the token is
	// what the user came for.
	m.status.SetMessage(fmt.Sprintf("task token %s · the callback task %s waits · %s: succeeded, with the editor's text · %s: failed (execution %s)",
		t.Token, t.Step, g.TaskSucceeded.Help().Key, g.TaskFailed.Help().Key, e.Name()), false)
	m.updateHints()
}

// reportSucceeded answers the task waiting with the editor's text.
func (m Model) reportSucceeded() (tea.Model, tea.Cmd) {
	t, std := m.live.task, m.live.std
	if t.Token == "" {
		m.status.SetMessage("no followed execution waits on a callback task: ctrl+r starts and follows one (a WaitForCustomCallback task); an execution opened from Runs is answered with flowtui executions report", true)
		return m, nil
	}
	if err := m.input.Valid(); err != nil {
		m.status.SetMessage("the task's output is the editor's text, which is not valid: "+err.Error(), true)
		m.setFocus(paneInput)
		return m, nil
	}
	out := m.input.Value()
	m.live.sent, m.live.task = t.Token, session.Task{}
	m.status.SetMessage("reporting the callback task "+t.Step+" succeeded…", false)
	m.updateHints()
	return m, reportCmd(std, t, fnf.ReportRequest{TaskToken: t.Token, Output: out})
}

// askFailure asks for the error code, then the cause, of a failure report.
func (m Model) askFailure() (tea.Model, tea.Cmd) {
	t := m.live.task
	if t.Token == "" {
		m.status.SetMessage("no followed execution waits on a callback task: ctrl+r starts and follows one (a WaitForCustomCallback task); an execution opened from Runs is answered with flowtui executions report", true)
		return m, nil
	}
	m.ask = asking{task: t, std: m.live.std}
	m.pick.Open(kindFailCode, "The callback task "+t.Step+" fails: type its error code", []palette.Item{
		{Typed: true, Title: "Use this error code"},
	})
	return m, nil
}

// reportCmd reports a callback task, succeeded unless req has an Error.
func reportCmd(std fnf.Standard, t session.Task, req fnf.ReportRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		report, ok := std.ReportTaskSucceeded, req.Error == ""
		if !ok {
			report = std.ReportTaskFailed
		}
		return taskReported{task: t, succeeded: ok, err: report(ctx, req)}
	}
}

func (m Model) taskReportedMsg(r taskReported) (tea.Model, tea.Cmd) {
	what := "failed"
	if r.succeeded {
		what = "succeeded"
	}
	if r.err != nil {
		if m.live.sent == r.task.Token {
			m.live.sent = "" // not answered: offered again
		}
		m.status.SetMessage(fmt.Sprintf("reporting the callback task %s %s: %v", r.task.Step, what, r.err), true)
		return m, nil
	}
	m.status.SetMessage(fmt.Sprintf("reported the callback task %s %s", r.task.Step, what), false)
	return m, nil
}

// chosenLive carries out the answer to a confirmation or prompt of a
// Standard run; false when c is not one.
func (m Model) chosenLive(c palette.Chosen) (tea.Model, tea.Cmd, bool) {
	a := m.ask
	m.ask = asking{}
	switch c.Kind {
	case kindStopExec:
		if c.ID == "stop" && a.stop != nil {
			m.status.SetMessage("stopping the execution "+a.stop.Name()+" of "+a.stop.FlowName()+"…", false)
			return m, stopExecCmd(a.stop), true
		}
		return m, nil, true
	case kindQuit:
		if c.ID == "quit" {
			model, cmd := m.quit()
			return model, cmd, true
		}
		return m, nil, true
	case kindFailCode:
		a.code = c.ID
		m.ask = a
		m.pick.Open(kindFailCause, "The callback task "+a.task.Step+" fails with "+a.code+": type why (its cause)", []palette.Item{
			{ID: noCause, Title: "No cause"},
			{Typed: true, Title: "Use this cause"},
		})
		return m, nil, true
	case kindFailCause:
		cause := c.ID
		if cause == noCause {
			cause = ""
		}
		if err := fnf.CheckErrorCause(a.code, cause); err != nil {
			m.status.SetMessage("the failure was not reported: "+err.Error(), true)
			return m, nil, true
		}
		if m.live.task == a.task {
			m.live.sent, m.live.task = a.task.Token, session.Task{}
		}
		m.status.SetMessage("reporting the callback task "+a.task.Step+" failed…", false)
		m.updateHints()
		return m, reportCmd(a.std, a.task, fnf.ReportRequest{TaskToken: a.task.Token, Error: a.code, Cause: cause}), true
	}
	return m, nil, false
}

// liveItems are the palette's actions on the execution followed.
func (m Model) liveItems() []palette.Item {
	if m.live.exec == nil {
		return nil
	}
	g := m.c.Keys
	items := []palette.Item{{ID: "stop-execution", Title: "Stop the execution " + m.live.last.ShortName() + "…", Key: g.StopExecution.Help().Key}}
	if t := m.live.task; t.Token != "" {
		items = append(items,
			palette.Item{ID: "task-succeeded", Title: "Task " + t.Step + " succeeded: the editor's text", Key: g.TaskSucceeded.Help().Key},
			palette.Item{ID: "task-failed", Title: "Task " + t.Step + " failed: code and cause…", Key: g.TaskFailed.Help().Key},
			palette.Item{ID: "task-token", Title: "Copy the token of task " + t.Step})
	}
	return items
}

// liveCommand carries out a palette action of liveItems.
func (m Model) liveCommand(id string) (tea.Model, tea.Cmd, bool) {
	switch id {
	case "stop-execution":
		model, cmd := m.askStop()
		return model, cmd, true
	case "task-succeeded":
		model, cmd := m.reportSucceeded()
		return model, cmd, true
	case "task-failed":
		model, cmd := m.askFailure()
		return model, cmd, true
	case "task-token":
		if t := m.live.task.Token; t != "" {
			m.status.SetMessage("copied the task token of "+m.live.task.Step, false)
			return m, tea.SetClipboard(t), true
		}
		return m, nil, true
	}
	return m, nil, false
}

// liveKey handles the keys of a Standard run; false for any other key.
func (m Model) liveKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd, bool) {
	g := m.c.Keys
	var model tea.Model
	var cmd tea.Cmd
	switch {
	case key.Matches(k, g.StopExecution):
		model, cmd = m.askStop()
	case key.Matches(k, g.TaskSucceeded):
		model, cmd = m.reportSucceeded()
	case key.Matches(k, g.TaskFailed):
		model, cmd = m.askFailure()
	default:
		return m, nil, false
	}
	return model, cmd, true
}

// liveHints are the status bar's keys for the execution followed.
func (m Model) liveHints() []key.Binding {
	if m.live.exec == nil {
		return nil
	}
	g := m.c.Keys
	if m.live.task.Token != "" {
		return []key.Binding{g.TaskSucceeded, g.TaskFailed, g.StopExecution}
	}
	return []key.Binding{g.StopExecution}
}

// liveStopHint is what esc does to a Standard run, for Result.
func (m Model) liveStopHint() string {
	s := "stops following (it goes on)"
	if k := m.c.Keys.StopExecution; k.Enabled() && k.Help().Key != "" {
		s += " · " + k.Help().Key + " stops it"
	}
	return s
}
