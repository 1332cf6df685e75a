package history

import (
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// RunJSON is a `history --json` item (README "History"), with the API's field
// spelling. Times are written as the service writes them, "" when unknown.
type RunJSON struct {
	Id           int64
	FlowName     string
	Name         string
	Status       fnf.Status
	ErrorCode    string
	ErrorMessage string
	StartedTime  string
	StoppedTime  string
	DurationMs   int64
	LatencyMs    int64
	Backend      string
	Endpoint     string
	Mode         string `json:",omitempty"` // Standard for a Standard execution
}

// RunShowJSON is `history show ID --json`: RunJSON plus the bodies, as the
// JSON text they were recorded as (like the API's Output).
type RunShowJSON struct {
	RunJSON
	Input  string
	Output string
	// Events is a Standard execution's event history, with the API's field
	// names, once it has ended.
	Events []fnf.Event `json:",omitempty"`
}

// ExportJSON is one line of `history export`: every recorded field.
type ExportJSON struct {
	RunShowJSON
	RequestedName string
	Region        string
	Profile       string
	TestCase      string
	RequestId     string
	HttpStatus    int
	ClientStart   string
	InputBytes    int
	OutputBytes   int
	Pinned        bool
	Trace         string // JSON array of steps for local runs, else ""
}

// JSON returns the run's `history --json` form (RunJSON), or its
// `history show --json` form (RunShowJSON) when withBodies is set.
func (r Run) JSON(withBodies bool) any {
	j := RunJSON{
		Id: r.ID, FlowName: r.FlowName, Name: r.Name, Status: r.Status,
		ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage,
		StartedTime: apiTime(r.StartedTime), StoppedTime: apiTime(r.StoppedTime),
		DurationMs: r.Duration().Milliseconds(), LatencyMs: r.Latency.Milliseconds(),
		Backend: r.Backend, Endpoint: r.Endpoint, Mode: r.Mode,
	}
	if !withBodies {
		return j
	}
	events, _ := r.EventList() // a damaged list is left out; show prints the error
	return RunShowJSON{RunJSON: j, Input: r.Input, Output: r.Output, Events: events}
}

// ExportJSON returns the run's `history export` form.
func (r Run) ExportJSON() ExportJSON {
	return ExportJSON{
		RunShowJSON:   r.JSON(true).(RunShowJSON),
		RequestedName: r.RequestedName, Region: r.Region, Profile: r.Profile, TestCase: r.TestCase,
		RequestId: r.RequestID, HttpStatus: r.HTTPStatus, ClientStart: apiTime(r.ClientStart),
		InputBytes: r.InputBytes, OutputBytes: r.OutputBytes, Pinned: r.Pinned, Trace: r.Trace,
	}
}

func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fnf.FormatTime(t)
}
