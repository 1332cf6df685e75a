package app

import (
	"context"
	"encoding/json"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// startRun runs the selected flow with the editor's input. The run goes on in
// a command; the user may browse meanwhile; esc stops waiting.
func (m Model) startRun() (tea.Model, tea.Cmd) {
	f := m.flow
	switch {
	case m.inflight != 0:
		m.status.SetMessage("a run of "+m.running+" is in flight; esc stops waiting", true)
		return m, nil
	case f.Name == "":
		m.status.SetMessage("choose a flow first", true)
		return m, nil
	case f.Error != "":
		m.status.SetMessage(f.Name+" does not load; the Definition tab shows why", true)
		return m, nil
	case f.Mode() != fnf.ModeExpress:
		m.status.SetMessage(f.Name+" is a Standard flow: synchronous runs need Express mode; run it with StartExecution (console, aliyun CLI)", true)
		return m, nil
	}
	if err := m.input.Valid(); err != nil {
		m.status.SetMessage("the input is not valid: "+err.Error(), true)
		m.setFocus(paneInput)
		return m, nil
	}
	m.runSeq++
	m.openSeq++ // a past run or input asked for before this key is no longer wanted
	m.loadSeq++
	id := m.runSeq
	req := fnf.SyncRequest{FlowName: f.Name, Input: m.input.Value(), TestCase: m.testCases[f.Name]}
	started := m.opts.Now()
	run := m.runner.Start(context.Background(), m.backend, req, started)
	m.inflight, m.flight, m.running, m.inputRan = id, run, f.Name, true
	m.status.SetRun("running "+f.Name, false)
	m.status.SetMessage("", false) // what was said before this run no longer applies
	m.c.Log.Debug("run", "id", id, "flow", f.Name, "input_bytes", len(req.Input), "test_case", req.TestCase)
	m.setFocus(paneResult)
	// RunStarted goes to the panes now, not through a command: a command
	// could deliver it after an esc that already stopped this run.
	kind := m.backend.Info().Kind
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: kind}, runCmd(id, run))
}

// cancelRun stops the run in flight (the local engine cancels it; a cloud
// call stops waiting); the command still records what happened once the
// call returns, with the duration shown: from the start to this key.
func (m Model) cancelRun() (tea.Model, tea.Cmd) {
	id, at := m.inflight, m.opts.Now()
	if m.flight != nil {
		m.flight.Stop(at)
	}
	m.inflight, m.flight = 0, nil
	m.status.SetRun(m.running+": "+fnf.Stopped(m.backend.Info().Kind).Notice, true)
	return m.broadcast(msgs.RunCancelled{ID: id, At: at})
}

// stopRun stops the run in flight as the program quits or changes backend:
// it is recorded as stopped now, like an esc.
func (m *Model) stopRun() {
	if m.flight != nil {
		m.flight.Stop(m.opts.Now())
	}
	m.inflight, m.flight = 0, nil
}

// notSent says why a run never started: a local set-up problem, which the
// command line reports with exit 2.
func notSent(flow string, err error) string {
	return "not run · " + flow + " · set-up problem, nothing was sent: " + err.Error()
}

// viewOf is what Result shows of a recorded run: the live error explains
// more than its code; a failed history write is said.
func viewOf(rec history.Run, res *fnf.SyncResult, err, herr error) msgs.RunView {
	v := viewFromHistory(rec)
	if err != nil {
		v.Err = err
	}
	if res != nil {
		v.Trace = res.Trace
	}
	if herr != nil {
		v.Unrecorded = "not recorded in the history: " + herr.Error()
		v.ErrorMessage = joinNonEmpty(v.ErrorMessage, "("+v.Unrecorded+")")
	}
	return v
}

// viewFromHistory shows a recorded run. An API error is rebuilt from its
// code so that the Error tab can explain it.
func viewFromHistory(r history.Run) msgs.RunView {
	v := msgs.RunView{
		HistoryID: r.ID, Flow: r.FlowName, RequestedName: r.RequestedName, Name: r.Name, Backend: r.Backend,
		TestCase: r.TestCase, Status: r.Status, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage,
		RequestID: r.RequestID, HTTPStatus: r.HTTPStatus, Input: r.Input, Output: r.Output,
		StartedTime: r.StartedTime, StoppedTime: r.StoppedTime, ClientStart: r.ClientStart, Latency: r.Latency,
		Pinned: r.Pinned,
	}
	if r.Trace != "" {
		_ = json.Unmarshal([]byte(r.Trace), &v.Trace)
	}
	if r.Status == history.StatusError && r.HTTPStatus >= 400 && r.ErrorCode != "" {
		v.Err = &fnf.APIError{HTTPStatus: r.HTTPStatus, Code: r.ErrorCode, Message: r.ErrorMessage,
			RequestID: r.RequestID, Action: "StartSyncExecution", FlowName: r.FlowName, Region: r.Region}
	} else if r.Status == history.StatusError {
		v.Err = errors.New(r.ErrorMessage)
	}
	return v
}

// runSummary is the status bar's line about a finished run.
func runSummary(v msgs.RunView) string {
	s := v.Status + " · " + v.Flow
	if d, ok := v.Duration(); ok && d == 0 {
		s += " · <1 ms" // the service's times have millisecond precision
	} else if ok {
		s += " · " + common.Duration(d)
	} else if v.Latency > 0 {
		s += " · " + common.Duration(v.Latency)
	}
	if v.ErrorCode != "" {
		s += " · " + v.ErrorCode
	}
	return s
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
