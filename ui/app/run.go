package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/client"
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
	case f.Mode() != client.ModeExpress:
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
	ctx, cancel := context.WithCancelCause(context.Background())
	m.inflight, m.cancel, m.running, m.inputRan = id, cancel, f.Name, true
	m.status.SetRun("running "+f.Name, false)
	m.status.SetMessage("", false) // what was said before this run no longer applies
	req := client.SyncRequest{FlowName: f.Name, Input: m.input.Value(), TestCase: m.testCases[f.Name]}
	m.c.Log.Debug("run", "id", id, "flow", f.Name, "input_bytes", len(req.Input), "test_case", req.TestCase)
	m.setFocus(paneResult)
	// RunStarted goes to the panes now, not through a command: a command
	// could deliver it after an esc that already stopped this run.
	started := m.opts.Now()
	kind := m.backend.Info().Kind
	return m.broadcast(msgs.RunStarted{ID: id, Flow: f.Name, Started: started, Backend: kind},
		runCmd(ctx, m.backend, m.opts.History, id, req, started, m.opts.Now))
}

// cancelRun stops the run in flight (the local engine cancels it; a cloud
// call stops waiting); the command still records what happened once the
// call returns, with the duration shown: from the start to this key.
func (m Model) cancelRun() (tea.Model, tea.Cmd) {
	id, at := m.inflight, m.opts.Now()
	if m.cancel != nil {
		m.cancel(runStopped{at})
	}
	m.inflight, m.cancel = 0, nil
	m.status.SetRun(m.running+": "+common.Stopped(m.backend.Info().Kind).Notice, true)
	return m.broadcast(msgs.RunCancelled{ID: id, At: at})
}

// runStopped is the cause of a run's cancellation by the user: when.
type runStopped struct{ at time.Time }

func (runStopped) Error() string { return "stopped by the user" }

func (m *Model) stopRun() {
	if m.cancel != nil {
		m.cancel(nil)
	}
	m.inflight, m.cancel = 0, nil
}

// runCmd makes the call and records it, whatever happened. start is the
// start shown on screen, so that the history holds the duration shown.
func runCmd(ctx context.Context, b client.Backend, h *history.Store, id int64, req client.SyncRequest, start time.Time, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		res, err := b.StartSyncExecution(ctx, req)
		info := b.Info()
		rec := history.FromSync(info, req, res, err, start, ctx.Err() != nil)
		if rec.Latency == 0 {
			rec.Latency = now().Sub(start)
		}
		if stop, ok := context.Cause(ctx).(runStopped); ok && res == nil {
			// The screen showed the time to the stop, not to the call's return.
			rec.Latency = stop.at.Sub(start)
			if info.Kind == client.KindLocal {
				// The local engine ran from the start to the stop: its times
				// are known, unlike a cloud execution's, which goes on.
				rec.StartedTime, rec.StoppedTime = start, stop.at
			}
		}
		var herr error
		if h != nil {
			rec.ID, herr = h.Add(context.Background(), rec)
		}
		v := viewFromHistory(rec)
		if err != nil {
			v.Err = err // the live error explains more than its code
		}
		if res != nil {
			v.Trace = res.Trace
		}
		if herr != nil {
			v.ErrorMessage = joinNonEmpty(v.ErrorMessage, "(not recorded in the history: "+herr.Error()+")")
		}
		return msgs.RunFinished{ID: id, View: v}
	}
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
		v.Err = &client.APIError{HTTPStatus: r.HTTPStatus, Code: r.ErrorCode, Message: r.ErrorMessage,
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
