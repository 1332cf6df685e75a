package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// standard is what the server asks of its Standard executions: the API's
// actions, and stopping those still running when the server stops.
// *engine.Executions is one; tests put a fake in its place.
type standard interface {
	fnf.Standard
	Close(ctx context.Context, cause string) error
	Running() int // executions not yet ended
}

// closeCause is the Cause of the executions still running when the server
// stops: an execution lives in the server's memory and cannot outlive it.
const closeCause = "flowtui serve stopped: its Standard executions end with it"

// The API's execution statuses, which ListExecutions filters by.
var apiStatuses = []fnf.Status{fnf.StatusStarting, fnf.StatusRunning, fnf.StatusStopped,
	fnf.StatusSucceeded, fnf.StatusFailed, fnf.StatusTimedOut}

func (s *Server) startExecution(rq *request) {
	flow, e := rq.flowName("FlowName")
	if e != nil {
		rq.fail(e)
		return
	}
	// The execution name and the input are checked by the engine, with
	// the rules of engine.Starter, as for StartSyncExecution.
	d, err := s.execs.StartExecution(rq.r.Context(), fnf.StartRequest{
		FlowName: flow, ExecutionName: rq.params.get("ExecutionName"), Input: rq.params.get("Input"),
		Qualifier: rq.params.get("Qualifier"), CallbackFnFTaskToken: rq.params.get("CallbackFnFTaskToken"),
		TestCase: rq.r.Header.Get(fnf.TestCaseHeader),
	})
	rq.okDetail(d, err)
}

func (s *Server) describeExecution(rq *request) {
	flow, name, e := rq.execution()
	if e != nil {
		rq.fail(e)
		return
	}
	wait, e := rq.wholeNumber("WaitTimeSeconds", 0, int(fnf.MaxDescribeWait/time.Second))
	if e != nil {
		rq.fail(e)
		return
	}
	d, err := s.describe(rq, fnf.DescribeRequest{FlowName: flow, ExecutionName: name, Wait: time.Duration(wait) * time.Second})
	rq.okDetail(d, err)
}

// describe runs a DescribeExecution. A long poll is a request like any
// other: no slot of --max-concurrent, no goroutine besides the request's.
// It ends when the client leaves, and at once when the server stops, with
// the execution as it is then.
func (s *Server) describe(rq *request, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	ctx := rq.r.Context()
	if req.Wait == 0 {
		return s.execs.DescribeExecution(ctx, req)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.waits, cancel)()
	d, err := s.execs.DescribeExecution(wctx, req)
	if err != nil && ctx.Err() == nil && s.waits.Err() != nil {
		req.Wait = 0
		return s.execs.DescribeExecution(ctx, req)
	}
	return d, err
}

func (s *Server) listExecutions(rq *request) {
	req, e := rq.listRequest()
	if e != nil {
		rq.fail(e)
		return
	}
	page, err := s.execs.ListExecutions(rq.r.Context(), req)
	if err != nil {
		rq.failExec(err)
		return
	}
	page.RequestId = rq.id
	if page.Executions == nil {
		page.Executions = []fnf.ExecutionDetail{} // [], never null
	}
	rq.ok(page)
}

// listRequest reads ListExecutions' filters.
func (rq *request) listRequest() (fnf.ListExecutionsRequest, *apiError) {
	var req fnf.ListExecutionsRequest
	var e *apiError
	if req.FlowName, e = rq.flowName("FlowName"); e != nil {
		return req, e
	}
	if _, ok := rq.params.lookup("MapRunName"); ok {
		return req, invalid("MapRunName is not supported: flowtui serve runs Map states inline and has no distributed Map runs to list")
	}
	if req.Limit, e = rq.wholeNumber("Limit", 1, fnf.MaxExecutionsLimit); e != nil {
		return req, e
	}
	if v := rq.params.get("Status"); v != "" {
		if req.Status = apiStatus(v); req.Status == "" {
			return req, invalid("Status %q: use one of %s (as written)", v, statusNames())
		}
	}
	if req.StartedBegin, e = rq.timeParam("StartedTimeBegin"); e != nil {
		return req, e
	}
	if req.StartedEnd, e = rq.timeParam("StartedTimeEnd"); e != nil {
		return req, e
	}
	if !req.StartedBegin.IsZero() && !req.StartedEnd.IsZero() && req.StartedBegin.After(req.StartedEnd) {
		return req, invalid("StartedTimeBegin %s is after StartedTimeEnd %s: no execution can have started between them",
			rq.params.get("StartedTimeBegin"), rq.params.get("StartedTimeEnd"))
	}
	switch v := rq.params.get("MetadataOnly"); strings.ToLower(v) {
	case "", "false":
	case "true":
		req.MetadataOnly = true
	default:
		return req, invalid("MetadataOnly %q: use true or false", v)
	}
	req.NextToken, req.NamePrefix, req.Qualifier = rq.params.get("NextToken"), rq.params.get("ExecutionNamePrefix"), rq.params.get("Qualifier")
	return req, nil
}

func apiStatus(v string) fnf.Status {
	for _, st := range apiStatuses {
		if string(st) == v {
			return st
		}
	}
	return ""
}

func statusNames() string {
	names := make([]string, len(apiStatuses))
	for i, st := range apiStatuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

func (s *Server) getExecutionHistory(rq *request) {
	flow, name, e := rq.execution()
	if e != nil {
		rq.fail(e)
		return
	}
	limit, e := rq.wholeNumber("Limit", 1, fnf.MaxEventsLimit)
	if e != nil {
		rq.fail(e)
		return
	}
	page, err := s.execs.GetExecutionHistory(rq.r.Context(), fnf.HistoryRequest{
		FlowName: flow, ExecutionName: name, Limit: limit, NextToken: rq.params.get("NextToken"),
	})
	if err != nil {
		rq.failExec(err)
		return
	}
	page.RequestId = rq.id
	if page.Events == nil {
		page.Events = []fnf.Event{}
	}
	rq.ok(page)
}

func (s *Server) stopExecution(rq *request) {
	flow, name, e := rq.execution()
	if e != nil {
		rq.fail(e)
		return
	}
	req := fnf.StopRequest{FlowName: flow, ExecutionName: name, Error: rq.params.get("Error"), Cause: rq.params.get("Cause")}
	if le := fnf.CheckErrorCause(req.Error, req.Cause); le != nil {
		rq.fail(invalid("%v", le))
		return
	}
	d, err := s.execs.StopExecution(rq.r.Context(), req)
	rq.okDetail(d, err)
}

// The official SDKs send ReportTask*'s TaskToken in the query string and
// the rest in the form body; parameters are read from both alike.
func (s *Server) reportTaskSucceeded(rq *request) {
	if e := rq.required("TaskToken", "Output"); e != nil {
		rq.fail(e)
		return
	}
	err := s.execs.ReportTaskSucceeded(rq.r.Context(), fnf.ReportRequest{TaskToken: rq.params.get("TaskToken"), Output: rq.params.get("Output")})
	rq.okEmpty(err)
}

func (s *Server) reportTaskFailed(rq *request) {
	if e := rq.required("TaskToken", "Error"); e != nil {
		rq.fail(e)
		return
	}
	err := s.execs.ReportTaskFailed(rq.r.Context(), fnf.ReportRequest{
		TaskToken: rq.params.get("TaskToken"), Error: rq.params.get("Error"), Cause: rq.params.get("Cause"),
	})
	rq.okEmpty(err)
}

// regionsResponse is DescribeRegions' answer: Regions.Region[], as the
// fnf SDKs' DescribeRegionsResponseBody has it.
type regionsResponse struct {
	RequestId string
	Regions   struct{ Region []fnf.Region }
}

// languages are DescribeRegions' AcceptLanguage values; zh-CN is the default.
var languages = []string{"zh-CN", "en-US"}

func (s *Server) describeRegions(rq *request) {
	lang := rq.params.get("AcceptLanguage")
	if lang != "" {
		known := ""
		for _, l := range languages {
			if strings.EqualFold(l, lang) {
				known = l
			}
		}
		if known == "" {
			rq.fail(invalid("AcceptLanguage %q: use %s", lang, strings.Join(languages, " or ")))
			return
		}
		lang = known
	}
	regions, err := s.execs.DescribeRegions(rq.r.Context(), lang)
	if err != nil {
		rq.failExec(err)
		return
	}
	out := regionsResponse{RequestId: rq.id}
	out.Regions.Region = regions
	if out.Regions.Region == nil {
		out.Regions.Region = []fnf.Region{}
	}
	rq.ok(out)
}

// execution reads FlowName and ExecutionName, both required.
func (rq *request) execution() (flow, name string, e *apiError) {
	flow, name = rq.params.get("FlowName"), rq.params.get("ExecutionName")
	rq.flow = flow
	if e := rq.required("FlowName", "ExecutionName"); e != nil {
		return "", "", e
	}
	if e := engine.CheckName("FlowName", "flow", flow); e != nil {
		return "", "", refused(e)
	}
	if err := fnf.ValidateExecutionRef("ExecutionName", name); err != nil {
		return "", "", invalid("%v", err)
	}
	return flow, name, nil
}

// timeParam reads an optional time in RFC 3339; absent is the zero time.
func (rq *request) timeParam(param string) (time.Time, *apiError) {
	v := rq.params.get(param)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, invalid("%s %q: use a time in RFC 3339, such as 2026-01-02T15:04:05Z", param, v)
	}
	return t, nil
}

// okDetail answers an execution, or the refusal.
func (rq *request) okDetail(d fnf.ExecutionDetail, err error) {
	if err != nil {
		rq.failExec(err)
		return
	}
	d.RequestId = rq.id
	rq.ok(d)
}

// okEmpty answers the RequestId alone, or the refusal.
func (rq *request) okEmpty(err error) {
	if err != nil {
		rq.failExec(err)
		return
	}
	rq.ok(struct{ RequestId string }{rq.id})
}

// failExec answers an error of the executions: their refusals as they word
// them, a call cut short by the shutdown 503, and anything else 500. A
// client that left gets nothing.
func (rq *request) failExec(err error) {
	ctx := rq.r.Context()
	var ae *fnf.APIError
	switch {
	case errors.As(err, &ae):
		rq.fail(refused(ae))
	case errors.Is(context.Cause(ctx), errShuttingDown):
		rq.fail(shuttingDown(CodeServiceUnavailable, fmt.Sprintf("%s was cancelled at the end of the shutdown grace", rq.action)))
	case ctx.Err() != nil:
		rq.status, rq.code = statusClientGone, "ClientGone"
	default:
		rq.fail(errorf(http.StatusInternalServerError, fnf.CodeInternalServerError, "%s: %v", rq.action, err))
	}
}

// closeExecutions stops the Standard executions still running, for at
// most answerTime.
func (s *Server) closeExecutions() error {
	ctx, cancel := context.WithTimeout(context.Background(), answerTime)
	defer cancel()
	if err := s.execs.Close(ctx, closeCause); err != nil {
		return fmt.Errorf("stop: stopping the Standard executions still running: %w", err)
	}
	return nil
}
