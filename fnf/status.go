package fnf

import (
	"fmt"
	"strings"
)

// Status is the state of a run: an execution status as the API reports it
// (DescribeExecution, StartSyncExecution), or one of flowtui's own for a
// run that produced no execution (StatusError, StatusCancelled). It is a
// string so that JSON and the history keep the same text.
type Status string

// The execution statuses of the API, as the public DescribeExecution page
// lists them:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
const (
	StatusStarting  Status = "Starting"
	StatusRunning   Status = "Running"
	StatusStopped   Status = "Stopped"
	StatusSucceeded Status = "Succeeded"
	StatusFailed    Status = "Failed"
	StatusTimedOut  Status = "TimedOut"
)

// flowtui's statuses for a run that produced no execution. The service
// never reports them.
const (
	// StatusError: the call failed (an API or transport error); the
	// execution never reached, or was refused by, the service.
	StatusError Status = "Error"
	// StatusCancelled: the user stopped waiting (esc, Ctrl-C); a local run
	// was cancelled, a cloud execution may have gone on server-side.
	StatusCancelled Status = "Cancelled"
)

// Statuses lists every status a run can have, in the order the command
// line and the Runs filter name them.
func Statuses() []Status {
	return []Status{StatusSucceeded, StatusFailed, StatusTimedOut, StatusStopped, StatusRunning, StatusStarting,
		StatusError, StatusCancelled}
}

// ParseStatus reads a status as a user types it, in any case ("failed").
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses() {
		if strings.EqualFold(string(st), s) {
			return st, nil
		}
	}
	names := make([]string, 0, len(Statuses()))
	for _, st := range Statuses() {
		names = append(names, string(st))
	}
	return "", fmt.Errorf("use one of %s", strings.Join(names, ", "))
}

// Known reports whether s is one of Statuses: the API's or flowtui's own.
func (s Status) Known() bool {
	for _, st := range Statuses() {
		if s == st {
			return true
		}
	}
	return false
}

// Terminal reports whether the run is over and its status will not change:
// Succeeded, Failed, TimedOut, Stopped, Error and Cancelled. Only Starting,
// Running and unknown statuses are not.
func (s Status) Terminal() bool {
	return s.Known() && s != StatusStarting && s != StatusRunning
}

// Succeeded reports whether the run ended well: Succeeded only.
func (s Status) Succeeded() bool { return s == StatusSucceeded }

// Failed reports whether the run ended in an error: Failed (the flow's
// error), TimedOut (the flow's time limit) and Error (the call's). Stopped
// and Cancelled are not failures: someone stopped the run on purpose.
func (s Status) Failed() bool {
	return s == StatusFailed || s == StatusTimedOut || s == StatusError
}
