package msgs

import (
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// ExecutionsAsk is what the Runs pane asks of the root about the backend's
// executions (ListExecutions, DescribeExecutions, OpenExecution,
// LoadExecutionInput): the root does the IO in a command.
type ExecutionsAsk interface{ executionsAsk() }

// ListExecutions asks for one page of a flow's executions on the backend,
// with the API's filters (Request.FlowName, NextToken, Status, NamePrefix,
// StartedBegin). Gen is the listing it belongs to; ExecutionsListed answers.
type ListExecutions struct {
	Gen     int
	Request fnf.ListExecutionsRequest
}

// ExecutionsListed is one page of the backend's executions of Flow, newest
// first, as RunViews of Origin OriginBackend. Token is the NextToken the page
// was asked with ("" for the first), Next the one for the page after it (""
// on the last). Unsupported says the backend keeps no listable executions
// (no Standard side): the pane shows the history alone, without an error.
type ExecutionsListed struct {
	Gen         int
	Flow        string
	Token       string
	Runs        []RunView
	Next        string
	Unsupported bool
	Err         error
}

// DescribeExecutions asks for the state now of a few running executions of
// Flow; ExecutionsDescribed answers with those it could describe.
type DescribeExecutions struct {
	Gen   int
	Flow  string
	Names []string
}

// ExecutionsDescribed answers DescribeExecutions Gen.
type ExecutionsDescribed struct {
	Gen  int
	Flow string
	Runs []RunView
	Err  error
}

// OpenExecution asks the root to show a backend execution in Result (its
// input, output, error and events) as msgs.RunOpened, never re-running it.
type OpenExecution struct{ Flow, Name string }

// LoadExecutionInput asks the root to put a backend execution's input into
// the editor (msgs.LoadInput).
type LoadExecutionInput struct{ Flow, Name string }

func (ListExecutions) executionsAsk()     {}
func (DescribeExecutions) executionsAsk() {}
func (OpenExecution) executionsAsk()      {}
func (LoadExecutionInput) executionsAsk() {}

// BackendView is a backend's execution as the panes show it: the history's
// row shape (Observe reads the detail as a recorded run does), with where it
// was listed, and its events when known. A missing error code and message are
// read from the events (fnf.EndError), as DescribeExecution does not carry them.
func BackendView(info fnf.Info, d fnf.ExecutionDetail, events []fnf.Event) RunView {
	r := history.Run{FlowName: d.FlowName, Mode: fnf.ModeStandard, Backend: info.Kind,
		Endpoint: info.Endpoint, Region: info.Region, Profile: info.Profile}
	r.Observe(d)
	if r.ErrorCode == "" && r.ErrorMessage == "" && len(events) > 0 {
		r.ErrorCode, r.ErrorMessage = fnf.EndError(events)
	}
	return RunView{Run: r, Events: events, Origin: OriginBackend}
}

// ExecutionKey names one Standard execution across the history and a
// backend's list: its flow and name on one backend (kind, endpoint and
// region). A history row and a backend row with the same key are one run.
type ExecutionKey struct{ Flow, Name, Backend, Endpoint, Region string }

// KeyOf is r's ExecutionKey; false for a run that is no Standard execution
// with a name (an Express run, a start that failed).
func KeyOf(r *history.Run) (ExecutionKey, bool) {
	return ExecutionKey{r.FlowName, r.Name, r.Backend, r.Endpoint, r.Region}, r.Mode == fnf.ModeStandard && r.Name != ""
}

// On says whether k is an execution of the backend info names (same kind,
// endpoint and region): only those can be described through it.
func (k ExecutionKey) On(info fnf.Info) bool {
	return k.Backend == info.Kind && k.Endpoint == info.Endpoint && k.Region == info.Region
}
