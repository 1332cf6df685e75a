package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// fakeStandard stands in for the engine's Standard executions: it records
// each request as the server hands it over and answers what the test set.
type fakeStandard struct {
	mu       sync.Mutex
	requests []any // each request, in order
	causes   []string

	detail  fnf.ExecutionDetail
	page    fnf.ExecutionPage
	events  fnf.EventPage
	regions []fnf.Region
	err     error // every call fails with it when set

	// A long poll (Wait > 0) says it began on polling, then waits for its
	// context or its time, then says how it ended on polled.
	polling chan fnf.DescribeRequest
	polled  chan error
}

func newFake() *fakeStandard {
	return &fakeStandard{
		detail: fnf.ExecutionDetail{FlowName: "std", Name: "e1", Status: fnf.StatusRunning,
			Input: `{"a":1}`, FlowDefinition: "Type: StateMachine", StartedTime: "2026-01-02T03:04:05.006Z"},
		polling: make(chan fnf.DescribeRequest, 4),
		polled:  make(chan error, 4),
	}
}

// useFake serves f in place of the engine's executions.
func (ts *testServer) useFake(f *fakeStandard) *fakeStandard {
	ts.Server.execs = f
	return f
}

func (f *fakeStandard) record(req any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req)
}

// got returns the requests received so far.
func (f *fakeStandard) got() []any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]any(nil), f.requests...)
}

// last returns the last request received, failing the test if none was.
func (f *fakeStandard) last(t *testing.T) any {
	t.Helper()
	all := f.got()
	if len(all) == 0 {
		t.Fatal("the executions were not called")
	}
	return all[len(all)-1]
}

func (f *fakeStandard) StartExecution(ctx context.Context, req fnf.StartRequest) (fnf.ExecutionDetail, error) {
	f.record(req)
	return f.detail, f.err
}

func (f *fakeStandard) DescribeExecution(ctx context.Context, req fnf.DescribeRequest) (fnf.ExecutionDetail, error) {
	f.record(req)
	if req.Wait == 0 || f.err != nil {
		return f.detail, f.err
	}
	f.polling <- req
	t := time.NewTimer(req.Wait)
	defer t.Stop()
	select {
	case <-t.C:
		f.polled <- nil
		d := f.detail
		d.Status = fnf.StatusSucceeded
		return d, nil
	case <-ctx.Done():
		// As an engine may: the wait's end is an error, not an answer.
		f.polled <- ctx.Err()
		return fnf.ExecutionDetail{}, ctx.Err()
	}
}

func (f *fakeStandard) ListExecutions(ctx context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	f.record(req)
	return f.page, f.err
}

func (f *fakeStandard) GetExecutionHistory(ctx context.Context, req fnf.HistoryRequest) (fnf.EventPage, error) {
	f.record(req)
	return f.events, f.err
}

func (f *fakeStandard) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	f.record(req)
	d := f.detail
	d.Status = fnf.StatusStopped
	return d, f.err
}

func (f *fakeStandard) ReportTaskSucceeded(ctx context.Context, req fnf.ReportRequest) error {
	f.record(req)
	return f.err
}

// reportFailed tells ReportTaskFailed's request from ReportTaskSucceeded's.
type reportFailed fnf.ReportRequest

func (f *fakeStandard) ReportTaskFailed(ctx context.Context, req fnf.ReportRequest) error {
	f.record(reportFailed(req))
	return f.err
}

// regionsCall records the language DescribeRegions was asked in.
type regionsCall struct{ lang string }

func (f *fakeStandard) DescribeRegions(ctx context.Context, lang string) ([]fnf.Region, error) {
	f.record(regionsCall{lang})
	return f.regions, f.err
}

func (f *fakeStandard) Close(ctx context.Context, cause string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.causes = append(f.causes, cause)
	return nil
}

func (f *fakeStandard) Running() int { return 0 }

func (f *fakeStandard) closedWith() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.causes...)
}
