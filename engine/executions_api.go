package engine

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// detail is rec as the API shows it; metaOnly leaves out Input, Output and
// FlowDefinition (ListExecutions' MetadataOnly).
func (e *Executions) detail(rec *record, metaOnly bool) fnf.ExecutionDetail {
	e.mu.Lock()
	defer e.mu.Unlock()
	return rec.detailLocked(metaOnly)
}

func (rec *record) detailLocked(metaOnly bool) fnf.ExecutionDetail {
	d := fnf.ExecutionDetail{FlowName: rec.flow, Name: rec.name, Status: rec.status,
		StartedTime: fnf.FormatTime(rec.started), ErrorCode: rec.errCode, ErrorMessage: rec.errMsg}
	if !rec.stopped.IsZero() {
		d.StoppedTime = fnf.FormatTime(rec.stopped)
	}
	if !metaOnly {
		d.Input, d.Output, d.FlowDefinition = rec.input, rec.output, rec.definition
	}
	return d
}

// find returns the execution of that name: FlowNotExists when there is no
// such flow (as ListExecutions answers), else ExecutionNotExists naming it.
func (e *Executions) find(flow, name string) (*record, *fnf.APIError) {
	e.mu.Lock()
	fe := e.flows[flow]
	rec := fe.get(name)
	e.mu.Unlock()
	if rec != nil {
		return rec, nil
	}
	if fe == nil {
		if c, err := e.opts.Find(flow); err == nil && c == nil {
			return nil, FlowNotExists(flow)
		}
	}
	return nil, refusal(http.StatusNotFound, fnf.CodeExecutionNotExists,
		fmt.Sprintf("execution %q of flow %q does not exist (or is no longer kept)", name, flow))
}

func invalid(format string, a ...any) *fnf.APIError {
	return refusal(http.StatusBadRequest, fnf.CodeInvalidArgument, fmt.Sprintf(format, a...))
}

// DescribeExecution returns one execution. With req.Wait (whole seconds,
// at most fnf.MaxDescribeWait) it answers as soon as the execution ends, or
// when the wait has passed; a ctx that ends first ends the call.
func (e *Executions) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	const action = "DescribeExecution"
	if req.Wait < 0 || req.Wait > fnf.MaxDescribeWait {
		return fnf.ExecutionDetail{}, e.answer(invalid("WaitTimeSeconds: %s; the wait is 0–%d seconds", req.Wait, int(fnf.MaxDescribeWait.Seconds())), action, req.FlowName)
	}
	rec, ae := e.find(req.FlowName, req.ExecutionName)
	if ae != nil {
		return fnf.ExecutionDetail{}, e.answer(ae, action, req.FlowName)
	}
	if req.Wait > 0 {
		t := time.NewTimer(req.Wait)
		defer t.Stop()
		select {
		case <-rec.done:
		case <-t.C:
		case <-ctx.Done():
			return fnf.ExecutionDetail{}, fmt.Errorf("%s: stopped waiting: %w", action, ctx.Err())
		}
	}
	return e.detail(rec, false), nil
}

// Page tokens: opaque to callers, and tied to what they page through so
// that a token of one action is refused by the other.
const (
	listToken    = "L"
	historyToken = "H"
)

func pageToken(kind string, n int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + strconv.FormatInt(n, 10)))
}

func readToken(kind, token string) (int64, *fnf.APIError) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	n, perr := strconv.ParseInt(strings.TrimPrefix(string(b), kind), 10, 64)
	if err != nil || !strings.HasPrefix(string(b), kind) || perr != nil || n < 0 {
		return 0, invalid("NextToken %q is not a token this call gave: pass the NextToken of the previous page as it is", token)
	}
	return n, nil
}

// pageLimit is a page's Limit: 0 is the default; else 1 to most.
func pageLimit(limit, most int) (int, *fnf.APIError) {
	switch {
	case limit == 0:
		return fnf.DefaultListLimit, nil
	case limit < 1 || limit > most:
		return 0, invalid("Limit: %d; a page holds 1–%d", limit, most)
	}
	return limit, nil
}

// ListExecutions returns one page of a flow's executions, newest first,
// with the filters of the request. A NextToken stays valid while
// executions start: it names where the page ends, not a position.
func (e *Executions) ListExecutions(_ context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	const action = "ListExecutions"
	limit, ae := pageLimit(req.Limit, fnf.MaxExecutionsLimit)
	if ae == nil && req.Status != "" && !req.Status.Known() {
		ae = invalid("Status %q is not an execution status", req.Status)
	}
	upTo := int64(1<<63 - 1)
	if ae == nil && req.NextToken != "" {
		upTo, ae = readToken(listToken, req.NextToken)
	}
	if ae != nil {
		return fnf.ExecutionPage{}, e.answer(ae, action, req.FlowName)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fe := e.flows[req.FlowName]
	if fe == nil {
		if c, err := e.opts.Find(req.FlowName); err != nil || c == nil {
			return fnf.ExecutionPage{}, e.refused(orNotExists(err, req.FlowName), action, req.FlowName)
		}
	}
	page := fnf.ExecutionPage{Executions: []fnf.ExecutionDetail{}}
	for i := len(fe.all()) - 1; i >= 0; i-- {
		rec := fe.list[i]
		if rec.seq > upTo || !listed(req, rec) {
			continue
		}
		if len(page.Executions) == limit {
			page.NextToken = pageToken(listToken, rec.seq)
			break
		}
		page.Executions = append(page.Executions, rec.detailLocked(req.MetadataOnly))
	}
	return page, nil
}

func (fe *flowExecutions) all() []*record {
	if fe == nil {
		return nil
	}
	return fe.list
}

func orNotExists(err error, flow string) error {
	if err != nil {
		return err
	}
	return FlowNotExists(flow)
}

// listed applies ListExecutions' filters (under Executions.mu).
func listed(req fnf.ListExecutionsRequest, rec *record) bool {
	switch {
	case req.Status != "" && rec.status != req.Status,
		!strings.HasPrefix(rec.name, req.NamePrefix),
		!req.StartedBegin.IsZero() && rec.started.Before(req.StartedBegin),
		!req.StartedEnd.IsZero() && rec.started.After(req.StartedEnd):
		return false
	}
	return true
}

// GetExecutionHistory returns one page of an execution's events, oldest
// first. A running execution's last page may grow: call again with no token
// (or follow DescribeExecution) to see more.
func (e *Executions) GetExecutionHistory(_ context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	const action = "GetExecutionHistory"
	limit, ae := pageLimit(req.Limit, fnf.MaxEventsLimit)
	var from int64
	if ae == nil && req.NextToken != "" {
		from, ae = readToken(historyToken, req.NextToken)
	}
	var rec *record
	if ae == nil {
		rec, ae = e.find(req.FlowName, req.ExecutionName)
	}
	if ae == nil && from > int64(rec.log.len()) {
		ae = invalid("NextToken %q is past the execution's events", req.NextToken)
	}
	if ae != nil {
		return fnf.EventPage{}, e.answer(ae, action, req.FlowName)
	}
	events, next := rec.log.page(int(from), limit)
	page := fnf.EventPage{Events: events}
	if next < rec.log.len() {
		page.NextToken = pageToken(historyToken, int64(next))
	}
	return page, nil
}

// StopExecution stops a running execution: it ends Stopped, with req.Error
// and req.Cause as its error, and the call answers it ended. Stopping one
// that has already ended changes nothing and answers it as it ended.
func (e *Executions) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	const action = "StopExecution"
	ae := checkErrorCause(req.Error, req.Cause)
	var rec *record
	if ae == nil {
		rec, ae = e.find(req.FlowName, req.ExecutionName)
	}
	if ae != nil {
		return fnf.ExecutionDetail{}, e.answer(ae, action, req.FlowName)
	}
	rec.cancel(&stopCause{code: req.Error, cause: req.Cause})
	select {
	case <-rec.done:
	case <-ctx.Done():
		return fnf.ExecutionDetail{}, fmt.Errorf("%s: stopped waiting for the execution to stop: %w", action, ctx.Err())
	}
	return e.detail(rec, false), nil
}

// DescribeRegions lists CloudFlow's public regions (fnf.RegionsIn): a
// local engine runs in none of them, but a caller choosing one can.
func (e *Executions) DescribeRegions(_ context.Context, lang string) ([]fnf.Region, error) {
	return fnf.RegionsIn(lang), nil
}
