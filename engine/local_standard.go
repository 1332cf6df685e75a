package engine

import (
	"context"
	"errors"

	"github.com/flowtui/flowtui/fnf"
)

// The local backend's Standard side: its Executions, with every refusal
// completed as the local engine gives it. A local Standard execution lives
// as long as the process: callers Close it before they quit.

var _ fnf.Standard = (*Local)(nil)

// localErr completes a refusal of the local Executions (see local).
func localErr(err error, action, flow string) error {
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		return local(ae, action, flow)
	}
	return err
}

// detail completes an execution answer with its request id.
func localDetail(d fnf.ExecutionDetail, err error, action, flow string) (fnf.ExecutionDetail, error) {
	if err != nil {
		return fnf.ExecutionDetail{}, localErr(err, action, flow)
	}
	d.RequestId = NewRequestID()
	return d, nil
}

// StartExecution starts a Standard execution in this process.
func (l *Local) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	d, err := l.std.StartExecution(ctx, req)
	return localDetail(d, err, "StartExecution", req.FlowName)
}

// DescribeExecution returns one execution, waiting up to req.Wait for its end.
func (l *Local) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	d, err := l.std.DescribeExecution(ctx, req)
	return localDetail(d, err, "DescribeExecution", req.FlowName)
}

// ListExecutions returns one page of a flow's executions, newest first.
func (l *Local) ListExecutions(ctx context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	p, err := l.std.ListExecutions(ctx, req)
	if err != nil {
		return fnf.ExecutionPage{}, localErr(err, "ListExecutions", req.FlowName)
	}
	p.RequestId = NewRequestID()
	return p, nil
}

// GetExecutionHistory returns one page of an execution's events.
func (l *Local) GetExecutionHistory(ctx context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	p, err := l.std.GetExecutionHistory(ctx, req)
	if err != nil {
		return fnf.EventPage{}, localErr(err, "GetExecutionHistory", req.FlowName)
	}
	p.RequestId = NewRequestID()
	return p, nil
}

// StopExecution stops a running execution.
func (l *Local) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	d, err := l.std.StopExecution(ctx, req)
	return localDetail(d, err, "StopExecution", req.FlowName)
}

// ReportTaskSucceeded completes the callback task of req.TaskToken.
func (l *Local) ReportTaskSucceeded(ctx context.Context, req fnf.ReportRequest) error {
	return localErr(l.std.ReportTaskSucceeded(ctx, req), "ReportTaskSucceeded", "")
}

// ReportTaskFailed fails the callback task of req.TaskToken.
func (l *Local) ReportTaskFailed(ctx context.Context, req fnf.ReportRequest) error {
	return localErr(l.std.ReportTaskFailed(ctx, req), "ReportTaskFailed", "")
}

// DescribeRegions lists CloudFlow's public regions (fnf.RegionsIn).
func (l *Local) DescribeRegions(ctx context.Context, lang string) ([]fnf.Region, error) {
	return l.std.DescribeRegions(ctx, lang)
}

// Running is the number of local Standard executions not yet ended: a
// caller about to quit asks first, since they end with the process.
func (l *Local) Running() int { return l.std.Running() }

// Close stops the running local Standard executions (Stopped, with the
// cause given) and waits for them, or for ctx.
func (l *Local) Close(ctx context.Context, cause string) error { return l.std.Close(ctx, cause) }
