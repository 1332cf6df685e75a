// Package msgs holds the messages panes and the root model exchange. Messages
// say what happened; commands do the work.
package msgs

import (
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/jsondiff"
)

// FlowsLoaded carries every flow of the backend, or why they could not be
// listed. Gen is the load it answers; older loads are dropped.
type FlowsLoaded struct {
	Gen   int
	Flows []fnf.Flow
	Err   error
}

// ReloadFlows asks the root to list the flows again (the Flows pane's retry key).
type ReloadFlows struct{}

// FlowSelected says the root selected a flow (the Flows cursor rests on it).
// The root hands it to Runs and Result in the update that moved the cursor,
// never through a command.
type FlowSelected struct{ Flow fnf.Flow }

// FlowDescribed carries DescribeFlow's answer, for the Definition tab.
type FlowDescribed struct {
	Flow fnf.Flow
	Err  error
}

// RunRequested asks the root to run the selected flow with the editor's input.
type RunRequested struct{}

// RunStarted says a run is in flight. ID numbers runs within this session.
type RunStarted struct {
	ID      int64
	Flow    string
	Started time.Time
	Backend string // fnf.KindLocal or fnf.KindCloud
}

// RunFinished carries the end of a run. A result whose ID is not the run in
// flight is stale and dropped.
type RunFinished struct {
	ID   int64
	View RunView
}

// RunProgress is a live Standard execution as last seen while it is
// followed: its status, the time so far and its events so far. A progress
// whose ID is not the run in flight is stale and dropped; RunFinished ends it.
type RunProgress struct {
	ID   int64
	View RunView
}

// RunNotSent says run ID never reached the service: a local set-up problem
// (credentials that could not be had, fnf.IsSetupError). It is no run and
// is not recorded.
type RunNotSent struct {
	ID  int64
	Err error
}

// RunCancelled says the user stopped run ID at At: the run's duration on
// screen and in the history is At − RunStarted.Started.
type RunCancelled struct {
	ID int64
	At time.Time
	// Notice, when set, says what the stop meant instead of
	// fnf.Stopped's words for the backend: a Standard execution whose start
	// is no longer waited for goes on, wherever it runs.
	Notice string
}

// RunsLoaded carries the history of a flow, newest first.
type RunsLoaded struct {
	Flow string
	Runs []RunView
	Err  error
}

// OpenRun asks the root to load a past run (with its bodies) into Result.
type OpenRun struct{ HistoryID int64 }

// RunOpened shows a past run in Result without re-running it.
type RunOpened struct {
	View RunView
	Err  error
}

// LoadInput puts text into the Input pane (a past run's input, a sample).
type LoadInput struct {
	Text   string
	Source string // where it came from, for the pane title
}

// DiffRequested asks for the run's output compared with its baseline: the
// pinned run of the flow, else the previous run.
type DiffRequested struct{ HistoryID int64 }

// DiffReady carries a computed diff for the Result pane.
type DiffReady struct {
	Title string // "run 12 ↔ run 10 (pinned)"
	Lines []DiffLine
	Text  bool // the outputs are not both JSON and were compared line by line
	Err   error
}

// DiffLine is one entry of a diff between two outputs (jsondiff.Line, where
// its meaning is written).
type DiffLine = jsondiff.Line

// PinRequested toggles the baseline pin of a past run.
type PinRequested struct {
	HistoryID int64
	Pinned    bool
}

// Status is a short message for the status bar.
type Status struct {
	Text string
	Err  bool
}

// Where a run shown comes from.
const (
	OriginHistory = "history" // this machine's history
	OriginBackend = "backend" // the backend's executions (ListExecutions)
)

// RunView is a run as the panes show it, from a live result or the history:
// the history's row, whose fields it shares rather than copies (ID is 0
// when the run was not recorded), and what only the screen needs.
type RunView struct {
	history.Run
	// Steps is the run's trace, decoded: a live run's in full, a recorded
	// one's as stored (Run.Trace holds the stored text; history.TraceNote
	// says what was cut); nil when there is none.
	Steps []fnf.Step
	// TraceErr says why the recorded trace could not be read; the Trace tab
	// shows it rather than an empty trace.
	TraceErr error
	// Events is a Standard execution's event history, decoded: a live one's
	// so far, a recorded one's as stored (Run.Events holds the text); nil
	// when there is none. EventsErr says why the stored events could not be
	// read.
	Events    []fnf.Event
	EventsErr error
	// Origin says where the run comes from: OriginHistory (this machine's
	// history) or OriginBackend (the backend's ListExecutions).
	Origin string
	// Unrecorded says why the history did not record this live run ("" when
	// it did, or when the history is off).
	Unrecorded string
	// Err is the API or transport error of a call that failed, for the Error
	// tab's explanation (an *fnf.APIError when the service answered).
	Err error
}

// At is when the run started: the client's start, else the server's (a run
// recorded by another tool); zero when neither is known.
func (v RunView) At() time.Time {
	if !v.ClientStart.IsZero() {
		return v.ClientStart
	}
	return v.StartedTime
}

// ShortName is the run's name without the ":<UUID>" the service appends; an
// unnamed run shows the first block of its UUID.
func (v RunView) ShortName() string {
	n := v.RequestedName
	if n == "" {
		n = v.Name
		if i := strings.IndexByte(n, ':'); i > 0 {
			n = n[:i]
		}
	}
	if len(n) == 36 && n[8] == '-' && n[13] == '-' && n[18] == '-' && n[23] == '-' {
		return n[:8]
	}
	return n
}
