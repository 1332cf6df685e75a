package fnf

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseStatusReadsWhatUsersType(t *testing.T) {
	if st, err := ParseStatus("timedout"); err != nil || st != StatusTimedOut {
		t.Errorf("ParseStatus(timedout) = %q, %v", st, err)
	}
	if st, err := ParseStatus("CANCELLED"); err != nil || st != StatusCancelled {
		t.Errorf("ParseStatus(CANCELLED) = %q, %v", st, err)
	}
	_, err := ParseStatus("done")
	const want = "use one of Succeeded, Failed, TimedOut, Stopped, Running, Starting, Error, Cancelled"
	if err == nil || err.Error() != want {
		t.Errorf("ParseStatus(done) = %v; want %q", err, want)
	}
}

// The execution statuses are those of the public DescribeExecution page:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestStatusesAreTheAPIsAndFlowtuisOwn(t *testing.T) {
	api := []Status{"Starting", "Running", "Stopped", "Succeeded", "Failed", "TimedOut"}
	for _, s := range append(api, "Error", "Cancelled") {
		if !s.Known() {
			t.Errorf("%s is not known", s)
		}
	}
	if len(Statuses()) != len(api)+2 {
		t.Errorf("Statuses() = %v; want the API's six and Error, Cancelled", Statuses())
	}
	if Status("succeeded").Known() || Status("").Known() {
		t.Error("a status is known in another spelling, or empty")
	}
}

func TestStatusPredicates(t *testing.T) {
	for _, c := range []struct {
		s                           Status
		terminal, succeeded, failed bool
	}{
		{StatusStarting, false, false, false},
		{StatusRunning, false, false, false},
		{StatusStopped, true, false, false},
		{StatusSucceeded, true, true, false},
		{StatusFailed, true, false, true},
		{StatusTimedOut, true, false, true},
		{StatusError, true, false, true},
		{StatusCancelled, true, false, false},
		{"Paused", false, false, false},
	} {
		if got := c.s.Terminal(); got != c.terminal {
			t.Errorf("%s.Terminal() = %v", c.s, got)
		}
		if got := c.s.Succeeded(); got != c.succeeded {
			t.Errorf("%s.Succeeded() = %v", c.s, got)
		}
		if got := c.s.Failed(); got != c.failed {
			t.Errorf("%s.Failed() = %v", c.s, got)
		}
	}
}

// The type changes no text: an execution reads and writes Status as the
// string the API sends.
func TestStatusKeepsItsTextInJSON(t *testing.T) {
	var e Execution
	if err := json.Unmarshal([]byte(`{"Status":"TimedOut"}`), &e); err != nil || e.Status != StatusTimedOut {
		t.Fatalf("decoded %q, %v", e.Status, err)
	}
	b, _ := json.Marshal(Execution{Status: StatusSucceeded})
	if want := `"Status":"Succeeded"`; !json.Valid(b) || !strings.Contains(string(b), want) {
		t.Errorf("encoded %s; want %s", b, want)
	}
}
