package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// A stopped local run ran on flowtui's own engine until the stop; a stopped
// cloud execution goes on, so only the wait is known.
func TestFromStoppedKnowsALocalRunsTimesAndNoCloudDuration(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	at := start.Add(2100 * time.Millisecond)
	stopped := fmt.Errorf("StartSyncExecution: stopped waiting: %w", context.Canceled)
	req := fnf.SyncRequest{FlowName: "slow"}

	local := FromStopped(fnf.Info{Kind: fnf.KindLocal}, req, nil, stopped, start, at)
	if d, ok := local.ServerDuration(); !ok || d != 2100*time.Millisecond || local.Latency != 2100*time.Millisecond || local.Status != fnf.StatusCancelled {
		t.Errorf("local: %s, duration %v (known %v), latency %v; want Cancelled, 2.1 s, 2.1 s", local.Status, d, ok, local.Latency)
	}

	cloud := FromStopped(fnf.Info{Kind: fnf.KindCloud}, req, nil, stopped, start, at)
	if d, ok := cloud.ServerDuration(); ok || cloud.Latency != 2100*time.Millisecond || cloud.Status != fnf.StatusCancelled {
		t.Errorf("cloud: %s, duration %v (known %v), latency %v; want Cancelled, unknown, 2.1 s", cloud.Status, d, ok, cloud.Latency)
	}
	// The client's own measure of the wait is kept when it made one.
	measured := FromStopped(fnf.Info{Kind: fnf.KindCloud}, req, &fnf.SyncResult{Latency: 2099 * time.Millisecond}, stopped, start, at)
	if measured.Latency != 2099*time.Millisecond {
		t.Errorf("cloud with a measured wait: latency %v, want 2.099 s", measured.Latency)
	}
	// What the stop did is what the row says, not the abandoned call's error
	// ("outcome unknown … stopped waiting"), which the cloud client returns
	// beside what it measured.
	if want := fnf.Stopped(fnf.KindCloud).Notice; measured.ErrorMessage != want || cloud.ErrorMessage != want {
		t.Errorf("cloud messages %q / %q, want %q", measured.ErrorMessage, cloud.ErrorMessage, want)
	}
	if _, ok := FromSync(fnf.Info{Kind: fnf.KindLocal}, req, nil, errors.New("refused"), start, false).ServerDuration(); ok {
		t.Error("a local call refused before it ran has a duration")
	}
}

func TestStepsDecodesTheStoredTraceOrSaysWhyNot(t *testing.T) {
	if steps, err := (Run{}).Steps(); steps != nil || err != nil {
		t.Errorf("no trace: %v, %v", steps, err)
	}
	steps, err := Run{Trace: `[{"State":"Check","Type":"Pass","Attempt":1}]`}.Steps()
	if err != nil || len(steps) != 1 || steps[0].State != "Check" || steps[0].Try() != 2 {
		t.Errorf("decoded %+v, %v", steps, err)
	}
	steps, err = Run{ID: 7, Trace: `[{"State":`}.Steps()
	if err == nil || steps != nil || !strings.Contains(err.Error(), "run 7: the stored trace (10 bytes) is not a list of steps") {
		t.Errorf("a broken trace gave %v, %v", steps, err)
	}
}

// CallErr gives back the error FromSync recorded: the service's, with its
// code, to be explained again; or the transport's message.
func TestCallErrRebuildsTheRecordedError(t *testing.T) {
	info := fnf.Info{Kind: fnf.KindCloud, Region: "cn-hangzhou"}
	req := fnf.SyncRequest{FlowName: "f"}
	api := &fnf.APIError{HTTPStatus: 404, Code: "FlowNotExists", Message: "flow f does not exist", RequestID: "R-1"}
	var ae *fnf.APIError
	if err := FromSync(info, req, nil, api, t0, false).CallErr(); !errors.As(err, &ae) ||
		ae.Code != "FlowNotExists" || ae.RequestID != "R-1" || ae.HTTPStatus != 404 || ae.Region != "cn-hangzhou" {
		t.Errorf("API error rebuilt as %#v", err)
	}
	if err := FromSync(info, req, nil, errors.New("dial tcp: connection refused"), t0, false).CallErr(); err == nil ||
		errors.As(err, &ae) || err.Error() != "dial tcp: connection refused" {
		t.Errorf("transport error rebuilt as %#v", err)
	}
	failed := FromSync(info, req, &fnf.SyncResult{Execution: fnf.Execution{Status: fnf.StatusFailed, ErrorCode: "X"}}, nil, t0, false)
	if err := failed.CallErr(); err != nil {
		t.Errorf("an execution that failed has no call error: %v", err)
	}
}
