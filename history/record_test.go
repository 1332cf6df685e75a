package history

import (
	"context"
	"errors"
	"fmt"
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
	if _, ok := FromSync(fnf.Info{Kind: fnf.KindLocal}, req, nil, errors.New("refused"), start, false).ServerDuration(); ok {
		t.Error("a local call refused before it ran has a duration")
	}
}
