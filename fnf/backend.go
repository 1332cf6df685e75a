// Package fnf is the vocabulary of the CloudFlow API (fnf 2019-03-15) that
// every layer of flowtui shares: the Backend interface, flows, executions and
// their statuses in the API's shapes, the typed API errors with their
// meaning, and the checks of what a caller may send (names, inputs). It
// holds no transport and no credentials: the signed cloud client is package
// client, which only the wiring imports.
package fnf

import (
	"context"
	"encoding/json"
	"time"
)

// Backend is what the command line and the TUI run flows through: the cloud
// service, any fnf-compatible endpoint, or the embedded engine.
type Backend interface {
	// ListFlows returns every flow, following NextToken through all pages.
	ListFlows(ctx context.Context) ([]Flow, error)
	// DescribeFlow returns one flow with its definition.
	DescribeFlow(ctx context.Context, name string) (Flow, error)
	// StartSyncExecution runs an Express flow and waits for its end. Cancelling
	// ctx stops waiting; the execution may go on server-side.
	StartSyncExecution(ctx context.Context, req SyncRequest) (*SyncResult, error)
	// Info says what the backend talks to, for status lines and the history.
	Info() Info
}

// Backend kinds, as recorded in the history and printed by `run --json`.
const (
	KindCloud = "cloud"
	KindLocal = "local"
)

// Info describes a backend for people: which kind, where, as whom.
type Info struct {
	Kind     string // KindCloud or KindLocal
	Endpoint string // base URL of the cloud backend; the flows directory for local
	Region   string
	Profile  string // the credential source ("env", a profile name), never a secret
}

// Execution modes of a flow.
const (
	ModeExpress  = "Express"
	ModeStandard = "Standard"
)

// Flow is a ListFlows item or a DescribeFlow response, with the API's field names.
type Flow struct {
	Name             string          `json:"Name"`
	Id               string          `json:"Id,omitempty"`
	Type             string          `json:"Type,omitempty"`
	Definition       string          `json:"Definition,omitempty"`
	Description      string          `json:"Description,omitempty"`
	RoleArn          string          `json:"RoleArn,omitempty"`
	ExecutionMode    string          `json:"ExecutionMode,omitempty"`
	CreatedTime      string          `json:"CreatedTime,omitempty"`
	LastModifiedTime string          `json:"LastModifiedTime,omitempty"`
	Environment      json.RawMessage `json:"Environment,omitempty"`
	ResourceGroupId  string          `json:"ResourceGroupId,omitempty"`
	// RequestId is set on a DescribeFlow answer, not on ListFlows items.
	RequestId string `json:"RequestId,omitempty"`
	// SampleInput is flowtui's own field (local flow documents): the input offered
	// for a flow that has no run yet. The service has no such field.
	SampleInput string `json:"SampleInput,omitempty"`
	// Error is flowtui's own too: why a local flow file could not be loaded
	// (file:line:column). Such a flow is listed, never dropped, and cannot run.
	Error string `json:"Error,omitempty"`
}

// Mode returns the flow's execution mode; the service reports an empty mode for
// Standard flows created before Express existed.
func (f Flow) Mode() string {
	if f.ExecutionMode == "" {
		return ModeStandard
	}
	return f.ExecutionMode
}

// SyncRequest is a StartSyncExecution call.
type SyncRequest struct {
	FlowName      string
	ExecutionName string // optional; the service appends ":<UUID>"
	Input         string // JSON object text; empty means none
	Qualifier     string // optional version or alias
	TestCase      string // the mock test case: local runs, and flowtui serve (header x-flowtui-test-case)
}

// Execution is the StartSyncExecution response, with the API's field names.
type Execution struct {
	RequestId    string `json:"RequestId"`
	FlowName     string `json:"FlowName"`
	Name         string `json:"Name"`
	Status       Status `json:"Status"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
	Output       string `json:"Output"` // JSON text, as the API returns it
	StartedTime  string `json:"StartedTime"`
	StoppedTime  string `json:"StoppedTime"`
}

// SyncResult is an execution plus what the client observed around it.
type SyncResult struct {
	Execution
	HTTPStatus int           // 200 for the cloud; 0 for local runs
	Latency    time.Duration // client round trip, retries included
	Attempts   int           // HTTP attempts made (throttled attempts are retried)
	Trace      []Step        // per-state steps; only the local engine fills it
}

// Duration is the server-side run time: StoppedTime − StartedTime.
func (e Execution) Duration() (time.Duration, bool) {
	start, ok1 := ParseTime(e.StartedTime)
	stop, ok2 := ParseTime(e.StoppedTime)
	if !ok1 || !ok2 {
		return 0, false
	}
	return stop.Sub(start), true
}

// ParseTime reads the service's UTC ISO-8601 times ("2019-01-01T01:01:01.001Z",
// with or without fractional seconds).
func ParseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// FormatTime writes t the way the service does: UTC with milliseconds,
// 2006-01-02T15:04:05.000Z. serve writes several per call, so it fills the
// digits itself instead of interpreting a layout each time.
func FormatTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	var b [24]byte
	put := func(at, n, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
	}
	if year < 0 || year > 9999 {
		return t.Format("2006-01-02T15:04:05.000Z07:00") // outside what four digits hold
	}
	put(0, year, 4)
	put(5, int(month), 2)
	put(8, day, 2)
	put(11, hour, 2)
	put(14, minute, 2)
	put(17, second, 2)
	put(20, t.Nanosecond()/1e6, 3)
	b[4], b[7], b[10], b[13], b[16], b[19], b[23] = '-', '-', 'T', ':', ':', '.', 'Z'
	return string(b[:])
}

// Step is one state's part of a local run, for the Trace view.
type Step struct {
	State    string        `json:"State"`
	Type     string        `json:"Type"`
	Input    string        `json:"Input,omitempty"`
	Output   string        `json:"Output,omitempty"`
	Error    string        `json:"Error,omitempty"`
	Attempt  int           `json:"Attempt"` // retries before this attempt: 0 for the first, as $Context's RetryCount
	Start    time.Time     `json:"Start"`
	Duration time.Duration `json:"Duration"`
}

// Try is the step's attempt counted as people count tries: 1 for the first.
func (s Step) Try() int { return s.Attempt + 1 }

// APIVersion is the fnf API version flowtui speaks.
const APIVersion = "2019-03-15"

// TestCaseHeader carries the mock test case of a run to flowtui serve.
const TestCaseHeader = "x-flowtui-test-case"
