package engine

import (
	"context"
	"net/http"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// ExecutionsOptions configure the Standard executions of a local backend or
// of flowtui serve.
type ExecutionsOptions struct {
	// Find returns the flow of that name, or nil when there is none (as
	// Starter.Find): an execution keeps the version it started with.
	Find func(name string) (*Compiled, error)
	// Runner brings the mocks and the HTTP client; its Limit is not used.
	Runner *Runner
	// Limit is a Standard execution's time limit; 0: fnf.StandardLimit.
	Limit time.Duration
	// MaxExecutions and MaxBytes bound what is kept in memory; the oldest
	// finished executions go first. 0: the defaults.
	MaxExecutions int
	MaxBytes      int64
}

// Executions runs Standard executions asynchronously, in process, and keeps
// them in memory with their events. It implements fnf.Standard; the local
// backend and flowtui serve share it.
type Executions struct {
	opts ExecutionsOptions
}

// NewExecutions returns an empty set of executions.
func NewExecutions(o ExecutionsOptions) *Executions { return &Executions{opts: o} }

var _ fnf.Standard = (*Executions)(nil)

func notYet() error {
	return refusal(http.StatusBadRequest, fnf.CodeActionNotSupported, "Standard executions are not available in this build")
}

// StartExecution starts a Standard execution and returns it Running.
func (e *Executions) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	return fnf.ExecutionDetail{}, notYet()
}

// DescribeExecution returns one execution, waiting up to req.Wait for its end.
func (e *Executions) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	return fnf.ExecutionDetail{}, notYet()
}

// ListExecutions returns one page of a flow's executions, newest first.
func (e *Executions) ListExecutions(ctx context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	return fnf.ExecutionPage{}, notYet()
}

// GetExecutionHistory returns one page of an execution's events.
func (e *Executions) GetExecutionHistory(ctx context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	return fnf.EventPage{}, notYet()
}

// StopExecution stops a running execution.
func (e *Executions) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	return fnf.ExecutionDetail{}, notYet()
}

// ReportTaskSucceeded completes the callback task of req.TaskToken.
func (e *Executions) ReportTaskSucceeded(ctx context.Context, req fnf.ReportRequest) error {
	return notYet()
}

// ReportTaskFailed fails the callback task of req.TaskToken.
func (e *Executions) ReportTaskFailed(ctx context.Context, req fnf.ReportRequest) error {
	return notYet()
}

// DescribeRegions lists the one region of a local engine.
func (e *Executions) DescribeRegions(ctx context.Context, lang string) ([]fnf.Region, error) {
	return nil, notYet()
}

// Close stops every running execution (Stopped, with the cause given) and
// waits for them to end, or for ctx.
func (e *Executions) Close(ctx context.Context, cause string) error { return nil }
