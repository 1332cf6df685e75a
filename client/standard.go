package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// The Standard actions: StartExecution and what follows it. Each says what a
// second attempt may do (repeatRule), which decides its retries; the two
// that must not be repeated blindly resolve an unknown outcome by asking the
// service instead.
var _ fnf.Standard = (*Cloud)(nil)

// StartExecution starts a Standard execution. It is retried only when
// nothing started (throttled, or never sent). After a failure that may have
// started it (a 5xx, a timeout, a dropped connection), an execution with a
// name is resolved with DescribeExecution of that name: found, it is
// returned; ExecutionNotExists, it did not start and is started again, once.
// Without a name the error is an *fnf.UnknownOutcomeError that says how to
// check.
func (c *Cloud) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	params := []param{{"FlowName", req.FlowName}}
	params = appendSet(params, "ExecutionName", req.ExecutionName)
	params = appendSet(params, "Input", req.Input)
	params = appendSet(params, "Qualifier", req.Qualifier)
	params = appendSet(params, "CallbackFnFTaskToken", req.CallbackFnFTaskToken)
	cl := call{action: "StartExecution", post: true, repeat: repeatStarts, flow: req.FlowName, params: params, testCase: req.TestCase}
	var d fnf.ExecutionDetail
	_, err := c.do(ctx, cl, &d)
	var uo *fnf.UnknownOutcomeError
	if err == nil || !errors.As(err, &uo) {
		return d, err
	}
	uo.Check = "flowtui executions list " + req.FlowName
	if req.ExecutionName != "" {
		// A named execution is the one to look up, even when the caller
		// gave up before it could be resolved.
		uo.Check = fmt.Sprintf("flowtui executions show %s %s", req.FlowName, req.ExecutionName)
	}
	if req.ExecutionName == "" || ctx.Err() != nil {
		return fnf.ExecutionDetail{}, uo
	}
	return c.resolveStart(ctx, cl, req, uo)
}

// resolveStart learns whether a named start whose answer was lost started:
// the service keeps one execution per name and flow.
func (c *Cloud) resolveStart(ctx context.Context, cl call, req fnf.StartRequest, uo *fnf.UnknownOutcomeError) (fnf.ExecutionDetail, error) {
	d, err := c.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: req.FlowName, ExecutionName: req.ExecutionName})
	switch {
	case err == nil:
		c.log.Debug("start resolved: the execution exists", "flow", req.FlowName, "execution", req.ExecutionName, "status", d.Status)
		return d, nil
	case errors.Is(err, fnf.ErrExecutionNotExists):
		// It did not start, so starting it is safe; a second lost answer
		// stays unknown rather than looping.
		c.log.Debug("start resolved: nothing started; starting again", "flow", req.FlowName, "execution", req.ExecutionName)
		var again fnf.ExecutionDetail
		_, err = c.do(ctx, cl, &again)
		var uo2 *fnf.UnknownOutcomeError
		if errors.As(err, &uo2) {
			uo2.Check = uo.Check
		}
		return again, err
	}
	uo.Err = fmt.Errorf("%w; describing %q to learn whether it started failed too: %v", uo.Err, req.ExecutionName, err)
	return fnf.ExecutionDetail{}, uo
}

// DescribeExecution returns one execution, after waiting up to req.Wait
// (whole seconds, at most fnf.MaxDescribeWait) for it to end. The call's
// timeout is the read timeout plus that wait.
func (c *Cloud) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	params := []param{{"FlowName", req.FlowName}, {"ExecutionName", req.ExecutionName}}
	wait := waitSeconds(req.Wait)
	if wait > 0 {
		params = append(params, param{"WaitTimeSeconds", strconv.Itoa(wait)})
	}
	cl := call{action: "DescribeExecution", flow: req.FlowName, params: params, timeout: c.readTimeout + time.Duration(wait)*time.Second}
	var d fnf.ExecutionDetail
	if _, err := c.do(ctx, cl, &d); err != nil {
		return fnf.ExecutionDetail{}, fmt.Errorf("describe execution %q of flow %q: %w", req.ExecutionName, req.FlowName, err)
	}
	return d, nil
}

// waitSeconds is a long-poll wait as WaitTimeSeconds: whole seconds, rounded
// up so that a short wait still waits, within 0–60.
func waitSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((min(d, fnf.MaxDescribeWait) + time.Second - 1) / time.Second)
}

// ListExecutions returns one page of a flow's executions, newest first;
// fnf.AllExecutions follows the pages.
func (c *Cloud) ListExecutions(ctx context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	if err := checkLimit("ListExecutions", req.Limit, fnf.MaxExecutionsLimit); err != nil {
		return fnf.ExecutionPage{}, err
	}
	params := []param{{"FlowName", req.FlowName}}
	if req.Limit > 0 {
		params = append(params, param{"Limit", strconv.Itoa(req.Limit)})
	}
	params = appendSet(params, "NextToken", req.NextToken)
	params = appendSet(params, "ExecutionNamePrefix", req.NamePrefix)
	params = appendSet(params, "Status", string(req.Status))
	if !req.StartedBegin.IsZero() {
		params = append(params, param{"StartedTimeBegin", req.StartedBegin.UTC().Format(time.RFC3339)})
	}
	if !req.StartedEnd.IsZero() {
		params = append(params, param{"StartedTimeEnd", req.StartedEnd.UTC().Format(time.RFC3339)})
	}
	params = appendSet(params, "Qualifier", req.Qualifier)
	if req.MetadataOnly {
		params = append(params, param{"MetadataOnly", "true"})
	}
	var page fnf.ExecutionPage
	if _, err := c.do(ctx, call{action: "ListExecutions", flow: req.FlowName, params: params}, &page); err != nil {
		return fnf.ExecutionPage{}, fmt.Errorf("list executions of flow %q: %w", req.FlowName, err)
	}
	return page, nil
}

// GetExecutionHistory returns one page of an execution's events, oldest
// first; fnf.AllEvents follows the pages.
func (c *Cloud) GetExecutionHistory(ctx context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	if err := checkLimit("GetExecutionHistory", req.Limit, fnf.MaxEventsLimit); err != nil {
		return fnf.EventPage{}, err
	}
	params := []param{{"FlowName", req.FlowName}, {"ExecutionName", req.ExecutionName}}
	if req.Limit > 0 {
		params = append(params, param{"Limit", strconv.Itoa(req.Limit)})
	}
	params = appendSet(params, "NextToken", req.NextToken)
	var page fnf.EventPage
	if _, err := c.do(ctx, call{action: "GetExecutionHistory", flow: req.FlowName, params: params}, &page); err != nil {
		return fnf.EventPage{}, fmt.Errorf("events of execution %q of flow %q: %w", req.ExecutionName, req.FlowName, err)
	}
	return page, nil
}

// StopExecution stops a running execution. A stop is not repeated blindly
// (a second stop of a stopped execution fails): after a failure that may
// have been carried out, DescribeExecution tells. Stopped: the stop took and
// the execution is returned. Still running: the stop did not take and is
// sent again, once. Ended otherwise: the error says how it ended.
func (c *Cloud) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	what := fmt.Sprintf("stop execution %q of flow %q", req.ExecutionName, req.FlowName)
	if err := checkStop(req); err != nil {
		return fnf.ExecutionDetail{}, fmt.Errorf("%s: %w", what, err)
	}
	params := []param{{"FlowName", req.FlowName}, {"ExecutionName", req.ExecutionName}}
	params = appendSet(params, "Error", req.Error)
	params = appendSet(params, "Cause", req.Cause)
	cl := call{action: "StopExecution", post: true, repeat: repeatOnce, flow: req.FlowName, params: params}
	var d fnf.ExecutionDetail
	_, err := c.do(ctx, cl, &d)
	if err == nil {
		return d, nil
	}
	if startedNothing(err) || ctx.Err() != nil {
		return fnf.ExecutionDetail{}, fmt.Errorf("%s: %w", what, err)
	}
	cur, derr := c.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: req.FlowName, ExecutionName: req.ExecutionName})
	switch {
	case derr != nil:
		return fnf.ExecutionDetail{}, fmt.Errorf("%s: outcome unknown: %w; describing it failed too (%v): check with `flowtui executions show %s %s`",
			what, err, derr, req.FlowName, req.ExecutionName)
	case cur.Status == fnf.StatusStopped:
		return cur, nil
	case !cur.Status.Terminal():
		if _, err := c.do(ctx, cl, &d); err != nil {
			return fnf.ExecutionDetail{}, fmt.Errorf("%s: %w", what, err)
		}
		return d, nil
	}
	return cur, fmt.Errorf("%s: it ended %s before the stop took effect (the stop's answer was lost: %w)", what, cur.Status, err)
}

// checkStop applies StopExecution's documented bounds before anything is
// sent: Error 1–128 characters, Cause 1–4096, when given.
func checkStop(req fnf.StopRequest) error {
	if req.FlowName == "" || req.ExecutionName == "" {
		return errors.New("FlowName and ExecutionName are required")
	}
	if le := fnf.CheckErrorCause(req.Error, req.Cause); le != nil {
		return le
	}
	return nil
}

// ReportTaskSucceeded completes a callback task with its output. The token
// goes in the query string, the rest in the body, as the official SDK sends
// them.
func (c *Cloud) ReportTaskSucceeded(ctx context.Context, req fnf.ReportRequest) error {
	return c.report(ctx, "ReportTaskSucceeded", req.TaskToken, appendSet(nil, "Output", req.Output))
}

// ReportTaskFailed completes a callback task with an error and its cause.
func (c *Cloud) ReportTaskFailed(ctx context.Context, req fnf.ReportRequest) error {
	return c.report(ctx, "ReportTaskFailed", req.TaskToken, appendSet(appendSet(nil, "Error", req.Error), "Cause", req.Cause))
}

// report sends a ReportTask* call. It is retried like a read: the service
// refuses a second report of a task instead of applying it. So when a retry
// that followed a lost answer finds no task on the token, the lost attempt
// most likely completed it, and the error says so.
func (c *Cloud) report(ctx context.Context, action, token string, params []param) error {
	if token == "" {
		return fmt.Errorf("%s: TaskToken is required", action)
	}
	var out struct{ RequestId string }
	st, err := c.do(ctx, call{action: action, post: true, repeat: repeatSafe, params: params, query: []param{{"TaskToken", token}}}, &out)
	if err != nil && st.uncertain && errors.Is(err, fnf.ErrTaskTokenNotExists) {
		return fmt.Errorf("%s: an earlier attempt's answer was lost, and the task no longer waits on the token, "+
			"so that attempt most likely completed it (its events show it): %w", action, err)
	}
	return err
}

// DescribeRegions lists the regions CloudFlow runs in, named in lang
// (AcceptLanguage: zh-CN, the service's default, or en-US).
func (c *Cloud) DescribeRegions(ctx context.Context, lang string) ([]fnf.Region, error) {
	var out struct {
		Regions struct{ Region []fnf.Region }
	}
	cl := call{action: "DescribeRegions", post: true, params: appendSet(nil, "AcceptLanguage", lang)}
	if _, err := c.do(ctx, cl, &out); err != nil {
		return nil, fmt.Errorf("describe regions: %w", err)
	}
	return out.Regions.Region, nil
}

// appendSet appends the parameter when it has a value: the SDKs leave unset
// ones out.
func appendSet(params []param, name, value string) []param {
	if value == "" {
		return params
	}
	return append(params, param{name, value})
}

// checkLimit applies a page's documented Limit range; 0 means the service's default.
func checkLimit(action string, limit, max int) error {
	if limit < 0 || limit > max {
		return fmt.Errorf("%s: Limit %d is out of range; the service accepts 1 to %d", action, limit, max)
	}
	return nil
}
