package fnf

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Standard is what a backend offers for Standard executions, besides the
// Backend's synchronous Express runs: start one, follow it, list, inspect its
// events, stop it, and answer its callback tasks. The cloud client, the local
// engine and flowtui serve (over the engine) all implement it, with the
// service's rules and errors:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
type Standard interface {
	// StartExecution starts a Standard execution and returns at once. A name
	// still running returns that execution; a finished one is
	// ExecutionAlreadyExists.
	StartExecution(ctx context.Context, req StartRequest) (ExecutionDetail, error)
	// DescribeExecution returns one execution. With req.Wait > 0 the call
	// waits up to that long (at most MaxDescribeWait) for the execution to
	// end, and answers as soon as it has.
	DescribeExecution(ctx context.Context, req DescribeRequest) (ExecutionDetail, error)
	// ListExecutions returns one page of a flow's executions, newest first.
	ListExecutions(ctx context.Context, req ListExecutionsRequest) (ExecutionPage, error)
	// GetExecutionHistory returns one page of an execution's events, oldest first.
	GetExecutionHistory(ctx context.Context, req HistoryRequest) (EventPage, error)
	// StopExecution stops a running execution; it ends Stopped with the
	// given error and cause.
	StopExecution(ctx context.Context, req StopRequest) (ExecutionDetail, error)
	// ReportTaskSucceeded and ReportTaskFailed complete a callback task.
	ReportTaskSucceeded(ctx context.Context, req ReportRequest) error
	ReportTaskFailed(ctx context.Context, req ReportRequest) error
	// DescribeRegions lists the regions the service runs in.
	DescribeRegions(ctx context.Context, lang string) ([]Region, error)
}

// StandardOf returns b's Standard side, when it has one.
func StandardOf(b Backend) (Standard, bool) {
	s, ok := b.(Standard)
	return s, ok
}

// Limits of the Standard actions, as the API reference states them.
const (
	// MaxDescribeWait bounds DescribeExecution's WaitTimeSeconds (0–60).
	MaxDescribeWait = 60 * time.Second
	// DefaultListLimit is the page size ListExecutions and
	// GetExecutionHistory use when none is asked for.
	DefaultListLimit = 60
	// MaxExecutionsLimit and MaxEventsLimit bound one page of
	// ListExecutions (1–99) and GetExecutionHistory (1–999).
	MaxExecutionsLimit = 99
	MaxEventsLimit     = 999
	// MaxStopError and MaxStopCause bound StopExecution's Error and Cause.
	MaxStopError = 128
	MaxStopCause = 4096
	// StandardLimit is how long a Standard execution may run.
	StandardLimit = 365 * 24 * time.Hour
)

// StartRequest is a StartExecution call.
type StartRequest struct {
	FlowName      string
	ExecutionName string // optional; unique per flow; generated when empty
	Input         string // JSON object text; empty means none
	Qualifier     string // optional version or alias
	// CallbackFnFTaskToken, when set, is the task token of a parent
	// execution's task that this execution completes when it ends.
	CallbackFnFTaskToken string
	TestCase             string // the mock test case: local runs and flowtui serve
}

// DescribeRequest is a DescribeExecution call.
type DescribeRequest struct {
	FlowName      string
	ExecutionName string
	// Wait is the long-poll (WaitTimeSeconds): 0 answers at once; more waits
	// for the execution to end, up to MaxDescribeWait, whole seconds.
	Wait time.Duration
}

// ListExecutionsRequest is a ListExecutions call: one page, with filters.
type ListExecutionsRequest struct {
	FlowName   string
	Limit      int    // page size; 0 for the service's default
	NextToken  string // from the previous page; opaque
	NamePrefix string // ExecutionNamePrefix
	Status     Status // "" for all
	// StartedBegin and StartedEnd bound StartedTime; zero for no bound.
	StartedBegin, StartedEnd time.Time
	Qualifier                string
	// MetadataOnly asks for the executions without Input, Output and definition.
	MetadataOnly bool
}

// ExecutionPage is one page of ListExecutions.
type ExecutionPage struct {
	RequestId  string            `json:"RequestId,omitempty"`
	Executions []ExecutionDetail `json:"Executions"`
	NextToken  string            `json:"NextToken,omitempty"` // empty on the last page
}

// HistoryRequest is a GetExecutionHistory call: one page.
type HistoryRequest struct {
	FlowName      string
	ExecutionName string
	Limit         int
	NextToken     string
}

// EventPage is one page of GetExecutionHistory.
type EventPage struct {
	RequestId string  `json:"RequestId,omitempty"`
	Events    []Event `json:"Events"`
	NextToken string  `json:"NextToken,omitempty"`
}

// StopRequest is a StopExecution call.
type StopRequest struct {
	FlowName      string
	ExecutionName string
	Error         string // 1–128 characters when given
	Cause         string // 1–4096 characters when given
}

// ReportRequest completes a callback task: ReportTaskSucceeded with Output,
// ReportTaskFailed with Error and Cause.
type ReportRequest struct {
	TaskToken string
	Output    string // JSON text
	Error     string
	Cause     string
}

// ExecutionDetail is an execution as DescribeExecution, ListExecutions,
// StartExecution and StopExecution return it, with the API's field names.
type ExecutionDetail struct {
	RequestId      string `json:"RequestId,omitempty"`
	FlowName       string `json:"FlowName"`
	Name           string `json:"Name"`
	Status         Status `json:"Status"`
	Input          string `json:"Input,omitempty"`
	Output         string `json:"Output,omitempty"`
	FlowDefinition string `json:"FlowDefinition,omitempty"`
	StartedTime    string `json:"StartedTime,omitempty"`
	StoppedTime    string `json:"StoppedTime,omitempty"`
	// ErrorCode and ErrorMessage say why an execution that ended otherwise
	// than Succeeded did so. The service's DescribeExecution does not carry
	// them (its events do); flowtui serve adds them, and the client fills
	// them from the last event when it needs them.
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

// Execution returns d in the shape of a synchronous run's answer, so that
// a followed Standard execution prints as an Express one does.
func (d ExecutionDetail) Execution() Execution {
	return Execution{
		RequestId: d.RequestId, FlowName: d.FlowName, Name: d.Name, Status: d.Status,
		ErrorCode: d.ErrorCode, ErrorMessage: d.ErrorMessage, Output: d.Output,
		StartedTime: d.StartedTime, StoppedTime: d.StoppedTime,
	}
}

// Event is one entry of an execution's history, with the API's field names.
type Event struct {
	EventId         int64  `json:"EventId"`
	ScheduleEventId int64  `json:"ScheduleEventId"`
	StepName        string `json:"StepName"`
	Type            string `json:"Type"`
	Time            string `json:"Time"`
	EventDetail     string `json:"EventDetail"` // JSON text
}

// Event types, in the service's vocabulary (GetExecutionHistory).
const (
	EventExecutionStarted   = "ExecutionStarted"
	EventExecutionSucceeded = "ExecutionSucceeded"
	EventExecutionFailed    = "ExecutionFailed"
	EventExecutionTimedOut  = "ExecutionTimedOut"
	EventExecutionStopped   = "ExecutionStopped"
	EventStepEntered        = "StepEntered"
	EventStepStarted        = "StepStarted"
	EventStepSucceeded      = "StepSucceeded"
	EventStepFailed         = "StepFailed"
	EventStepExited         = "StepExited"
	EventBranchEntered      = "BranchEntered"
	EventBranchExited       = "BranchExited"
	EventIterationEntered   = "IterationEntered"
	EventIterationExited    = "IterationExited"
	EventTaskScheduled      = "TaskScheduled"
	EventTaskStarted        = "TaskStarted"
	EventTaskSubmitted      = "TaskSubmitted"
	EventTaskSubmitFailed   = "TaskSubmitFailed"
	EventTaskSucceeded      = "TaskSucceeded"
	EventTaskFailed         = "TaskFailed"
	EventTaskTimedOut       = "TaskTimedOut"
)

// Region is one DescribeRegions entry.
type Region struct {
	RegionId       string `json:"RegionId"`
	RegionEndpoint string `json:"RegionEndpoint,omitempty"`
	LocalName      string `json:"LocalName,omitempty"`
}

// AllExecutions follows NextToken through every page of req, stopping at max
// executions (0: no bound). Callers that show a flow with many executions
// read page by page instead.
func AllExecutions(ctx context.Context, s Standard, req ListExecutionsRequest, max int) ([]ExecutionDetail, error) {
	var out []ExecutionDetail
	for {
		page, err := s.ListExecutions(ctx, req)
		if err != nil {
			return out, err
		}
		out = append(out, page.Executions...)
		if max > 0 && len(out) >= max {
			return out[:max], nil
		}
		if page.NextToken == "" || page.NextToken == req.NextToken {
			return out, nil
		}
		req.NextToken = page.NextToken
	}
}

// AllEvents follows NextToken through every page of an execution's history,
// in the largest pages the API gives (MaxEventsLimit) unless req.Limit says
// otherwise: 5,000 events are then 6 calls, not 84.
func AllEvents(ctx context.Context, s Standard, req HistoryRequest) ([]Event, error) {
	if req.Limit == 0 {
		req.Limit = MaxEventsLimit
	}
	var out []Event
	for {
		page, err := s.GetExecutionHistory(ctx, req)
		if err != nil {
			return out, err
		}
		out = append(out, page.Events...)
		if page.NextToken == "" || page.NextToken == req.NextToken {
			return out, nil
		}
		req.NextToken = page.NextToken
	}
}

// LengthError is a text longer than the API accepts.
type LengthError struct {
	Param    string // the API's parameter: Error or Cause
	Len, Max int    // in characters
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("%s is %d characters long: the API accepts at most %d", e.Param, e.Len, e.Max)
}

// CheckErrorCause applies the bounds that StopExecution and ReportTaskFailed
// put on an Error (at most 128 characters) and a Cause (at most 4,096):
// nil, or the first that is too long.
func CheckErrorCause(errCode, cause string) *LengthError {
	if n := utf8.RuneCountInString(errCode); n > MaxStopError {
		return &LengthError{Param: "Error", Len: n, Max: MaxStopError}
	}
	if n := utf8.RuneCountInString(cause); n > MaxStopCause {
		return &LengthError{Param: "Cause", Len: n, Max: MaxStopCause}
	}
	return nil
}

// EndError reads why an execution ended otherwise than Succeeded from its
// events: the Error and Cause of its last ExecutionFailed, ExecutionTimedOut
// or ExecutionStopped event. DescribeExecution does not carry them; the
// event history does. Empty when no such event says.
func EndError(events []Event) (code, message string) {
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Type {
		case EventExecutionFailed, EventExecutionTimedOut, EventExecutionStopped:
		default:
			continue
		}
		var d map[string]any
		if json.Unmarshal([]byte(events[i].EventDetail), &d) != nil {
			return "", ""
		}
		text := func(keys ...string) string {
			for _, k := range keys {
				if s, ok := d[k].(string); ok && s != "" {
					return s
				}
			}
			return ""
		}
		return text("Error", "ErrorCode", "error"), text("Cause", "ErrorMessage", "cause")
	}
	return "", ""
}
