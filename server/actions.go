package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// actions is every action the server answers, in the order of the README's
// table of actions, each with its handler and its row of that table (which
// TestTheREADMEDescribesEveryActionServed keeps equal). A new action is one
// entry here and its handler.
var actions = []struct {
	name string
	run  func(*Server, *request)
	doc  string
}{
	{"ListFlows", (*Server).listFlows, "`Limit` 1–999, default 60; flows sorted by name; `NextToken` is the name of the first flow of the next page, absent on the last page (a token whose flow was deleted meanwhile resumes after it)"},
	{"DescribeFlow", (*Server).describeFlow, "`Name`"},
	{"CreateFlow", (*Server).createFlow, "`Name`, `Definition`, `Type` (`FDL`) required; `Description` documented as required but not insisted on; `ExecutionMode` `Express` or `Standard` (empty means Standard, as in the API); `RoleArn`, `Environment` (JSON), `ResourceGroupId` stored as given. The definition is validated: problems come back as `InvalidArgument` with `Definition:line:column`; a CloudFlow definition's `Name` must equal the `Name` parameter; an Express flow keeps to the Express limits (Wait 1–20 s). A taken name is 400 `FlowAlreadyExists`."},
	{"UpdateFlow", (*Server).updateFlow, "`Name`; changes only what is sent (`Definition`, `Description`, `RoleArn`, `Environment`), validated like `CreateFlow`. `ExecutionMode` cannot change. A run in flight keeps the definition it started with."},
	{"DeleteFlow", (*Server).deleteFlow, "`Name`. Demo flows and `--flows` flows can be deleted too — in memory only; files are never written."},
	{"StartSyncExecution", (*Server).startSyncExecution, "`FlowName`, optional `ExecutionName` (the answer's `Name` is `{ExecutionName}:{UUID}`, or a UUID), `Input` (a JSON object). Express flows only. `Qualifier` is ignored."},
	{"StartExecution", (*Server).startExecution, "`FlowName`, optional `ExecutionName` (unique per flow: a name still running answers that execution, a finished one 400 `ExecutionAlreadyExists`; generated when absent), `Input` (a JSON object), `Qualifier`, `CallbackFnFTaskToken`. Standard flows only (an Express flow is 400 `ActionNotSupported`, as in the service). Answers at once, `Status` `Running`; the execution runs in the server."},
	{"DescribeExecution", (*Server).describeExecution, "`FlowName`, `ExecutionName`; `WaitTimeSeconds` 0–60 long-polls: the answer comes when the execution ends or the time is up, whichever is first. A long poll holds no slot of `--max-concurrent`, ends when the client leaves, and is answered at once, with the execution as it is, when the server stops. The answer adds `ErrorCode` and `ErrorMessage` (flowtui's; the service leaves them to the events). No execution of that name: 404 `ExecutionNotExists`."},
	{"ListExecutions", (*Server).listExecutions, "`FlowName`; `Limit` 1–99 (default 60), `NextToken` (opaque: pass back what the last page gave), `ExecutionNamePrefix`, `Status` (`Starting`, `Running`, `Stopped`, `Succeeded`, `Failed`, `TimedOut`), `StartedTimeBegin` / `StartedTimeEnd` (RFC 3339), `Qualifier`, `MetadataOnly` (`true`: no `Input`, `Output` or `FlowDefinition`). Newest first; `NextToken` absent on the last page. `MapRunName` is refused: Map states run inline."},
	{"GetExecutionHistory", (*Server).getExecutionHistory, "`FlowName`, `ExecutionName`; `Limit` 1–999 (default 60), `NextToken`. `Events` oldest first, each with `EventId`, `ScheduleEventId`, `StepName`, `Type`, `Time`, `EventDetail` (JSON text)."},
	{"StopExecution", (*Server).stopExecution, "`FlowName`, `ExecutionName`, optional `Error` (at most 128 characters) and `Cause` (at most 4,096). The execution ends `Stopped`; the answer is the execution."},
	{"ReportTaskSucceeded", (*Server).reportTaskSucceeded, "`TaskToken` (in the query string or the body; the SDKs send it in the query), `Output` (JSON). Completes the callback task waiting on the token; none: 400 `TaskTokenNotExists`."},
	{"ReportTaskFailed", (*Server).reportTaskFailed, "`TaskToken` (as for `ReportTaskSucceeded`), `Error`, optional `Cause`: the callback task waiting on the token fails with them."},
	{"DescribeRegions", (*Server).describeRegions, "optional `AcceptLanguage` (`zh-CN`, the default, or `en-US`). Answers `Regions.Region[]` (`RegionId`, `RegionEndpoint`, `LocalName`): the one region of this server."},
}

// Actions lists the actions the server answers, in the order of the README.
func Actions() []string {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.name
	}
	return names
}

// handler returns the function of an action, or nil for one not served.
func (s *Server) handler(action string) func(*Server, *request) {
	for _, a := range actions {
		if a.name == action {
			return a.run
		}
	}
	return nil
}

const (
	defaultLimit = 60
	maxLimit     = 999
	flowType     = "FDL"
)

type listFlowsResponse struct {
	RequestId string
	Flows     []fnf.Flow
	NextToken string `json:",omitempty"` // absent on the last page, as the service does
}

func (s *Server) listFlows(rq *request) {
	limit, e := rq.wholeNumber("Limit", 1, maxLimit)
	if e != nil {
		rq.fail(e)
		return
	}
	if limit == 0 {
		limit = defaultLimit
	}
	flows, next := s.flows.page(rq.params.get("NextToken"), limit)
	rq.ok(listFlowsResponse{RequestId: rq.id, Flows: flows, NextToken: next})
}

// flowName reads and checks the parameter that names the flow.
func (rq *request) flowName(param string) (string, *apiError) {
	name := rq.params.get(param)
	rq.flow = name
	if name == "" {
		return "", missing(param)
	}
	if e := engine.CheckName(param, "flow", name); e != nil {
		return "", refused(e)
	}
	return name, nil
}

// okFlow answers with a flow, as DescribeFlow, CreateFlow and UpdateFlow do.
func (rq *request) okFlow(c *engine.Compiled) {
	f := c.Flow
	f.RequestId = rq.id
	rq.ok(f)
}

func (s *Server) describeFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	c := s.flows.get(name)
	if c == nil {
		rq.fail(flowNotExists(name))
		return
	}
	rq.okFlow(c)
}

func (s *Server) createFlow(rq *request) {
	name := rq.params.get("Name")
	rq.flow = name
	// Description is documented as required; the service's own examples
	// leave it out, so it is not insisted on.
	if e := rq.required("Name", "Definition", "Type"); e != nil {
		rq.fail(e)
		return
	}
	if e := engine.CheckName("Name", "flow", name); e != nil {
		rq.fail(refused(e))
		return
	}
	mode := rq.params.get("ExecutionMode")
	if mode == "" {
		mode = fnf.ModeStandard // the API's rule: empty means Standard
	}
	if mode != fnf.ModeExpress && mode != fnf.ModeStandard {
		rq.fail(invalid("ExecutionMode %q: use Express or Standard", mode))
		return
	}
	now := fnf.FormatTime(s.now())
	f := fnf.Flow{
		Name: name, Id: engine.NewID(), ExecutionMode: mode,
		Description: rq.params.get("Description"), RoleArn: rq.params.get("RoleArn"),
		ResourceGroupId: rq.params.get("ResourceGroupId"), CreatedTime: now, LastModifiedTime: now,
	}
	if e := setCommon(rq, &f); e != nil {
		rq.fail(e)
		return
	}
	c, e := s.flows.create(name, func() (*engine.Compiled, *apiError) { return compile(f) })
	if e != nil {
		rq.fail(e)
		return
	}
	rq.okFlow(c)
}

// setCommon applies what CreateFlow and UpdateFlow share: Definition, Type
// and Environment, each only when sent.
func setCommon(rq *request, f *fnf.Flow) *apiError {
	if v, ok := rq.params.lookup("Type"); ok && v != flowType {
		return invalid("Type %q: the only flow type is %s (it covers the CloudFlow spec and the legacy FDL)", v, flowType)
	}
	f.Type = flowType
	if v, ok := rq.params.lookup("Definition"); ok {
		if v == "" {
			return invalid("Definition is empty: send the flow's definition (YAML or JSON)")
		}
		f.Definition = v
	}
	if v, ok := rq.params.lookup("Environment"); ok {
		if v != "" && !json.Valid([]byte(v)) {
			return invalid(`Environment is not valid JSON: send {"Variables":[{"Name":…,"Value":…}]}`)
		}
		f.Environment = json.RawMessage(v)
	}
	return nil
}

// compile validates a definition; problems come with Definition:line:column.
func compile(f fnf.Flow) (*engine.Compiled, *apiError) {
	f.Error = ""
	c, err := engine.CompileFlow(f)
	if err != nil {
		var de *engine.DefinitionError
		if errors.As(err, &de) {
			return nil, invalid("the definition of flow %q has problems:\n%v", f.Name, err)
		}
		return nil, invalid("flow %q: %v", f.Name, err)
	}
	return c, nil
}

func (s *Server) updateFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	c, e := s.flows.update(name, func(old *engine.Compiled) (*engine.Compiled, *apiError) {
		f := old.Flow
		if v, ok := rq.params.lookup("ExecutionMode"); ok && v != "" && v != f.Mode() {
			return nil, invalid("ExecutionMode cannot change: flow %q is %s; create a new flow with ExecutionMode %s instead", name, f.Mode(), v)
		}
		if e := setCommon(rq, &f); e != nil {
			return nil, e
		}
		for param, field := range map[string]*string{"Description": &f.Description, "RoleArn": &f.RoleArn} {
			if v, ok := rq.params.lookup(param); ok {
				*field = v
			}
		}
		f.LastModifiedTime = fnf.FormatTime(s.now())
		return compile(f)
	})
	if e != nil {
		rq.fail(e)
		return
	}
	rq.okFlow(c)
}

func (s *Server) deleteFlow(rq *request) {
	name, e := rq.flowName("Name")
	if e != nil {
		rq.fail(e)
		return
	}
	if e := s.flows.remove(name); e != nil {
		rq.fail(e)
		return
	}
	rq.ok(struct{ RequestId string }{rq.id})
}

func (s *Server) startSyncExecution(rq *request) {
	name, e := rq.flowName("FlowName")
	if e != nil {
		rq.fail(e)
		return
	}
	ctx := rq.r.Context()
	exec, _, err := s.starter.Start(ctx, engine.StartRequest{
		FlowName: name, ExecutionName: rq.params.get("ExecutionName"), Input: rq.params.get("Input"),
		TestCase: rq.r.Header.Get(fnf.TestCaseHeader),
	})
	if ctx.Err() != nil && (err != nil || exec.Status != fnf.StatusSucceeded) {
		// Stopped before its end: by the end of the shutdown grace, or
		// because the client went away, and then nobody is left to answer.
		if errors.Is(context.Cause(ctx), errShuttingDown) {
			rq.fail(shuttingDown(CodeServiceUnavailable, fmt.Sprintf("the run was cancelled before it finished, at the end of the %s shutdown grace", s.grace)))
			return
		}
		rq.status, rq.code = statusClientGone, "ClientGone"
		return
	}
	if err != nil {
		rq.fail(refused(err))
		return
	}
	exec.RequestId = rq.id
	rq.ok(exec)
}

// admit counts a run in, unless as many run as the server allows. Over the
// cap the answer is immediate: a queue would only turn overload into
// timeouts, and the client retries throttled calls with backoff.
func (s *Server) admit() error {
	if n := s.running.Add(1); n > s.maxRunning {
		s.running.Add(-1)
		return errorf(http.StatusTooManyRequests, fnf.CodeResourceThrottled,
			"%d executions are running, the most this server runs at once (--max-concurrent); retry later", s.maxRunning)
	}
	return nil
}

// release counts a run out.
func (s *Server) release() { s.running.Add(-1) }

// statusClientGone is logged for a run whose client left before the end
// (nginx's 499): no answer was written.
const statusClientGone = 499

// formatLatency keeps log lines short and comparable.
func formatLatency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return d.Round(time.Millisecond).String()
}
