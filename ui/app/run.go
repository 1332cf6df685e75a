package app

import (
	"context"

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
	std, hasStd := fnf.StandardOf(m.backend)
	why := m.cannotRun(f)
	switch {
	case m.inflight != 0 && m.live.id != 0:
		m.status.SetMessage("the execution of "+m.running+" is followed; esc stops following it (it goes on)", true)
		return m, nil
	case why != "":
		m.status.SetMessage(why, true)
		return m, nil
	case f.Mode() != fnf.ModeExpress && !hasStd:
		m.status.SetMessage(f.Name+" is a Standard flow, and "+describeBackend(m.backend.Info())+" cannot start Standard executions", true)
		return m, nil
	}
	if m.loading != "" && m.input.Value() == m.loadFrom {
		// i asked for a past run's input, which is on its way: the run
		// takes it, as the keys said, rather than the text it replaces.
		m.queued = true
		m.status.SetMessage("the run of "+f.Name+" starts once the input of "+m.loading+" is loaded", false)
		m.setFocus(paneResult)
		return m, nil
	}
	id, ok := m.newRun()
	if !ok {
		return m, nil
	}
	if f.Mode() != fnf.ModeExpress {
		// Legacy FDL flows included: the service has them as Standard flows.
		return m.startStandard(id, f, std, m.input.Value(), m.opts.Now())
	}
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
	if m.live.id != 0 && m.live.id == m.inflight {
		return m.unfollow()
	}
	id, at := m.inflight, m.opts.Now()
	if m.benching && m.flight != nil {
		// A bench stopped ends at once with what completed: its
		// RunFinished shows those statistics, not a cut run.
		m.flight.Stop(at)
		m.status.SetRun("stopping the bench of "+m.running+": the runs that completed are shown", false)
		return m, nil
	}
	if m.flight != nil {
		m.flight.Stop(at)
	}
	m.inflight, m.flight = 0, nil
	m.status.SetRun(m.running+": "+fnf.Stopped(m.backend.Info().Kind).Notice, true)
	return m.broadcast(msgs.RunCancelled{ID: id, At: at})
}

// quit ends the program. A run in flight is stopped now and is one of those
// Finish tells of at exit, even when its call returns and records it before
// Finish is called; so are the Standard executions still running (local
// ones are stopped then).
func (m *Model) quit() (tea.Model, tea.Cmd) {
	if m.runner != nil {
		m.runner.AtExit()
	}
	m.stopRun()
	return *m, tea.Quit
}

// stopRun stops the run in flight as the program quits or changes backend:
// it is recorded as stopped now, like an esc. A Standard execution is no
// longer followed, and goes on.
func (m *Model) stopRun() {
	if m.flight != nil {
		m.flight.Stop(m.opts.Now())
	}
	m.inflight, m.flight, m.live = 0, nil, following{}
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
		v.Steps, v.TraceErr = res.Trace, nil // in full: the row's may be cut
	}
	if herr != nil {
		v.Unrecorded = "not recorded in the history: " + herr.Error()
		v.ErrorMessage = joinNonEmpty(v.ErrorMessage, "("+v.Unrecorded+")")
	}
	return v
}

// runSummary is the status bar's line about a finished run.
func runSummary(v msgs.RunView) string {
	s := string(v.Status) + " · " + v.FlowName
	if d, ok := v.ServerDuration(); ok && d == 0 {
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

// cannotRun says why no run of f can start now (one in flight, no flow, a
// flow that does not load), or "": the checks a run and a run of N times share.
func (m Model) cannotRun(f fnf.Flow) string {
	switch {
	case m.inflight != 0:
		return "a run of " + m.running + " is in flight; esc stops waiting"
	case f.Name == "":
		return "choose a flow first"
	case f.Error != "":
		return f.Name + " does not load; the Definition tab shows why"
	}
	return ""
}

// newRun checks the editor's input and takes the id of a run about to start:
// a past run or an input asked for before this key is no longer wanted.
// False when the input is not valid (said, and the editor focused).
func (m *Model) newRun() (int64, bool) {
	if err := m.input.Valid(); err != nil {
		m.status.SetMessage("the input is not valid: "+err.Error(), true)
		m.setFocus(paneInput)
		return 0, false
	}
	m.runSeq++
	m.openSeq++
	m.loadSeq++
	m.loading, m.benching = "", false
	return m.runSeq, true
}
